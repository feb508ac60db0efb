package org.stationtrust.protocol;

/** HTTP header names of the station protocol. */
public final class StationHeaders {
    /** Carries the compact JWS ({@link JwsType#STATION_REQUEST}) of every signed station call. */
    public static final String SIGNATURE = "X-Station-Signature";
    /** Names a queued delivery; accepted and ignored by the server (the packet or event id plays that role). */
    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    /** The server's id of a request, in every answer and error. */
    public static final String REQUEST_ID = "X-Request-Id";

    private StationHeaders() {
    }
}
