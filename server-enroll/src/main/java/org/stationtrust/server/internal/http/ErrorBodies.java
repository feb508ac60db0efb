package org.stationtrust.server.internal.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.stationtrust.protocol.ErrorCode;

/** The one error body of the API (docs/server-api.md, "Conventions"): {@code {error: {code, message}, requestId}}. */
public final class ErrorBodies {
    private static final SecureRandom RANDOM = new SecureRandom();

    private ErrorBodies() {
    }

    public static Map<String, Object> map(ErrorCode code, String message, String requestId) {
        Map<String, Object> err = new LinkedHashMap<>();
        err.put("code", code.wire());
        err.put("message", message);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", err);
        body.put("requestId", requestId != null ? requestId : newRequestId());
        return body;
    }

    public static byte[] json(ErrorCode code, String message, String requestId) {
        try {
            return org.stationtrust.protocol.WireJson.strict().writeValueAsBytes(map(code, message, requestId));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an error body of strings cannot fail to serialise", e);
        }
    }

    /** A request id for answers made before the routes run. */
    public static String newRequestId() {
        byte[] b = new byte[8];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
