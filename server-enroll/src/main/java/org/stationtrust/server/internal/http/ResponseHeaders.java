package org.stationtrust.server.internal.http;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiConsumer;

/**
 * The headers every answer of a route carries, whichever layer writes it (the Javalin pipeline or the station
 * attestation handler): the request id and the hardening headers of docs/server-api.md, "Conventions".
 */
public final class ResponseHeaders {
    private static final String CSP = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
            + "frame-ancestors 'none'; base-uri 'none'";

    private ResponseHeaders() {
    }

    /**
     * A correlation label for one request, not a secret: drawn from the thread's own generator rather than the shared
     * SecureRandom, whose lock every request thread would otherwise queue on.
     */
    public static String newRequestId() {
        return HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    }

    /** Puts the request id and the hardening headers ({@code https}: HSTS too). */
    public static void apply(BiConsumer<String, String> put, String requestId, boolean https) {
        put.accept(org.stationtrust.protocol.StationHeaders.REQUEST_ID, requestId);
        put.accept("X-Content-Type-Options", "nosniff");
        put.accept("X-Frame-Options", "DENY");
        put.accept("Referrer-Policy", "no-referrer");
        put.accept("Cache-Control", "no-store");
        put.accept("Content-Security-Policy", CSP);
        if (https) put.accept("Strict-Transport-Security", "max-age=31536000");
    }
}
