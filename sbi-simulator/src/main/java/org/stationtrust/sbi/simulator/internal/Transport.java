package org.stationtrust.sbi.simulator.internal;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.stationtrust.sbi.simulator.FaultMode;

/**
 * Writes SBI answers on the wire, honest or not: the transport-level fault modes
 * (malformed JSON, oversized body, slow drip, never answers) are applied here and only here.
 */
public final class Transport {
    /** Requests to a device are small; anything bigger is refused before parsing. */
    public static final int MAX_REQUEST_BYTES = 1 << 20;

    private final DeviceState state;
    private final long slowDripMillis;
    private final long oversizedBytes;
    private final int port;
    private final boolean closeConnections;

    public Transport(DeviceState state, long slowDripMillis, long oversizedBytes, int port, boolean closeConnections) {
        this.state = state;
        this.closeConnections = closeConnections;
        this.slowDripMillis = slowDripMillis;
        this.oversizedBytes = oversizedBytes;
        this.port = port;
    }

    /** Reads the request body, refusing more than {@link #MAX_REQUEST_BYTES}. */
    public static byte[] readBody(HttpExchange ex) throws IOException {
        try (InputStream in = ex.getRequestBody()) {
            byte[] body = in.readNBytes(MAX_REQUEST_BYTES + 1);
            if (body.length > MAX_REQUEST_BYTES) {
                throw new IOException("request body larger than " + MAX_REQUEST_BYTES + " bytes");
            }
            return body;
        }
    }

    /** Sends a JSON answer of an SBI verb, misbehaving as the current fault mode says. */
    public void sendSbiJson(HttpExchange ex, String json) throws IOException {
        FaultMode fault = state.fault();
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        sbiHeaders(ex);
        switch (fault) {
            case NEVER_ANSWERS -> {
                state.sleepUnlessClosed(Long.MAX_VALUE / 2);
                ex.close();
            }
            case MALFORMED_JSON -> send(ex, Arrays.copyOf(body, Math.max(1, body.length / 2)));
            case OVERSIZED_BODY -> sendOversized(ex);
            case SLOW_DRIP -> drip(ex, body);
            default -> send(ex, body);
        }
    }

    /** A plain, honest answer (admin endpoint, HTTP-level errors). */
    public static void sendPlain(HttpExchange ex, int status, String contentType, String text) throws IOException {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", contentType);
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    private void sbiHeaders(HttpExchange ex) {
        // SBI 0.9.5 §Device Info (HTTP response): no caching, LOCATION of the service.
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.getResponseHeaders().set("Location", "http://127.0.0.1:" + port);
        if (closeConnections) {
            // Deployed services close after every answer; the JDK server closes when it sees this header.
            ex.getResponseHeaders().set("Connection", "close");
        }
    }

    private static void send(HttpExchange ex, byte[] body) throws IOException {
        ex.sendResponseHeaders(200, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    private void drip(HttpExchange ex, byte[] body) throws IOException {
        ex.sendResponseHeaders(200, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            for (byte b : body) {
                out.write(b);
                out.flush();
                if (state.sleepUnlessClosed(slowDripMillis)) {
                    return;
                }
            }
        }
    }

    /** A chunked body (no Content-Length) that looks like a capture answer but never ends soon. */
    private void sendOversized(HttpExchange ex) throws IOException {
        ex.sendResponseHeaders(200, 0);
        try (OutputStream out = ex.getResponseBody()) {
            byte[] head = "{\"biometrics\":[{\"specVersion\":\"0.9.5\",\"data\":\"".getBytes(StandardCharsets.US_ASCII);
            out.write(head);
            byte[] block = new byte[64 * 1024];
            Arrays.fill(block, (byte) 'A');
            long left = oversizedBytes - head.length - 4;
            while (left > 0 && !state.isClosed()) {
                int n = (int) Math.min(block.length, left);
                out.write(block, 0, n);
                left -= n;
            }
            out.write("\"}]}".getBytes(StandardCharsets.US_ASCII));
        }
    }
}
