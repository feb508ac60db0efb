package org.stationtrust.server.internal.station;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import java.util.Set;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.stationtrust.server.internal.http.ApiException;
import org.stationtrust.server.internal.http.ErrorCode;
import org.stationtrust.server.internal.http.JsonBodies;

/**
 * A parsed compact JWS (RFC 7515 §7.1) restricted to what stations send: protected header with exactly
 * alg ES256, the expected typ and a kid; a 64-byte r||s signature (RFC 7518 §3.4). Nothing else accepted.
 */
record CompactJws(String kid, byte[] signingInput, byte[] payload, byte[] signature) {
    private static final Set<String> HEADER_FIELDS = Set.of("alg", "typ", "kid");

    static CompactJws parse(String compact, int maxLength, String expectedTyp, ErrorCode onError) {
        if (compact.length() > maxLength) throw new ApiException(onError, "JWS longer than " + maxLength + " characters");
        int first = compact.indexOf('.');
        int second = first < 0 ? -1 : compact.indexOf('.', first + 1);
        if (first < 0 || second < 0 || compact.indexOf('.', second + 1) >= 0) {
            throw new ApiException(onError, "Expected a compact JWS: header.payload.signature");
        }
        Base64.Decoder b64 = Base64.getUrlDecoder();
        byte[] header, payload, signature;
        try {
            header = b64.decode(compact.substring(0, first));
            payload = b64.decode(compact.substring(first + 1, second));
            signature = b64.decode(compact.substring(second + 1));
        } catch (IllegalArgumentException e) {
            throw new ApiException(onError, "JWS parts must be base64url without padding");
        }
        JsonNode h;
        try {
            h = JsonBodies.MAPPER.readTree(header);
        } catch (java.io.IOException e) {
            throw new ApiException(onError, "JWS protected header is not JSON");
        }
        if (h == null || !h.isObject()) throw new ApiException(onError, "JWS protected header must be a JSON object");
        for (Iterator<String> it = h.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!HEADER_FIELDS.contains(f)) {
                throw new ApiException(onError, "JWS header field '" + (f.length() > 20 ? f.substring(0, 20) : f)
                        + "' is not accepted; expected only alg, typ, kid");
            }
        }
        if (!"ES256".equals(text(h, "alg"))) {
            throw new ApiException(onError, "JWS alg must be ES256, was '" + text(h, "alg") + "'");
        }
        if (!expectedTyp.equals(text(h, "typ"))) {
            throw new ApiException(onError, "JWS typ must be " + expectedTyp);
        }
        String kid = text(h, "kid");
        if (kid == null || kid.isEmpty() || kid.length() > 40) {
            throw new ApiException(onError, "JWS kid must be the machine id (1-40 characters)");
        }
        if (signature.length != 64) {
            throw new ApiException(onError, "ES256 signature must be 64 bytes (r||s), was " + signature.length);
        }
        byte[] input = compact.substring(0, second).getBytes(StandardCharsets.US_ASCII);
        return new CompactJws(kid, input, payload, signature);
    }

    boolean verifies(ECPublicKeyParameters key) {
        return Es256.verify(key, signingInput, signature);
    }

    private static String text(JsonNode h, String field) {
        JsonNode n = h.get(field);
        return n != null && n.isTextual() ? n.asText() : null;
    }
}
