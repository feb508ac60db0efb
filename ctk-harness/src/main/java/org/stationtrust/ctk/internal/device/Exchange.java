package org.stationtrust.ctk.internal.device;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * One request and what came back, byte for byte, with timing: the elapsed monotonic time and the
 * instants it was sent and answered ({@link ExchangeTimes}). {@code status} is -1 when no HTTP status
 * line arrived; {@code transportError} then says why (timeout, connection reset...).
 */
public record Exchange(
        String verb,
        String path,
        byte[] requestBody,
        int status,
        Map<String, String> headers,
        byte[] responseBody,
        boolean truncated,
        long elapsedNanos,
        String transportError,
        ExchangeTimes times) {

    public Exchange {
        requestBody = requestBody == null ? new byte[0] : requestBody;
        responseBody = responseBody == null ? new byte[0] : responseBody;
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        java.util.Objects.requireNonNull(times, "times");
    }

    public boolean answered() {
        return status > 0 && transportError == null;
    }

    public double elapsedMillis() {
        return elapsedNanos / 1_000_000.0;
    }

    public String responseText() {
        return new String(responseBody, StandardCharsets.UTF_8);
    }

    public String requestText() {
        return new String(requestBody, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return verb + " " + path + " -> " + (answered() ? "HTTP " + status + ", " + responseBody.length + " bytes"
                : "no answer (" + transportError + ")") + String.format(" in %.1f ms", elapsedMillis());
    }
}
