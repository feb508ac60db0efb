package org.stationtrust.protocol;

/** The {@code typ} header values of the two JWS a station signs (docs/server-api.md). */
public enum JwsType {
    /** The {@link StationHeaders#SIGNATURE} header of a signed station request. */
    STATION_REQUEST("station-request+jws", 4096),
    /** A capture packet: the packet JSON as payload, signed once by the TPM machine key. */
    CAPTURE_PACKET("capture-packet+jws", 8 * 1024 * 1024);

    private final String wire;
    private final int maxChars;

    JwsType(String wire, int maxChars) {
        this.wire = wire;
        this.maxChars = maxChars;
    }

    public String wire() {
        return wire;
    }

    /** The longest compact serialisation accepted for this type. */
    public int maxChars() {
        return maxChars;
    }
}
