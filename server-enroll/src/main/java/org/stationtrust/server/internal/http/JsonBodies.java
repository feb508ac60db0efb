package org.stationtrust.server.internal.http;

import java.util.Base64;
import org.stationtrust.protocol.InvalidJsonBody;
import org.stationtrust.protocol.StrictJson;

/**
 * The server's side of the shared strict reader ({@link StrictJson}, in station-protocol, used by the agent's local API
 * too): its refusals become {@link ApiException}s with the same code and message.
 */
public final class JsonBodies {

    private JsonBodies() {
    }

    public static <T> T parse(byte[] body, Class<T> type) {
        try {
            return StrictJson.read(body, type);
        } catch (InvalidJsonBody e) {
            throw new ApiException(e.code(), e.getMessage());
        }
    }

    /** Decodes a required standard base64 field, bounded in size. */
    public static byte[] base64(String field, String value, int maxBytes) {
        if (value == null) throw new IllegalArgumentException("Field '" + field + "' is required (base64)");
        if (value.length() > (maxBytes / 3 + 1) * 4) {
            throw new IllegalArgumentException("Field '" + field + "' is longer than " + maxBytes + " bytes");
        }
        try {
            return Base64.getDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Field '" + field + "' is not standard padded base64");
        }
    }

    public static String requireText(String field, String value, int maxLength) {
        return org.stationtrust.protocol.Fields.requireText(field, value, maxLength);
    }
}
