package org.stationtrust.server.bench;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import java.util.Set;
import org.stationtrust.protocol.WireJson;

/**
 * The baseline of {@link CodecCostBenchmark}: the server's own decoder of a station request's signature header as it
 * was before station-protocol's {@code Es256Jws} replaced it (server-enroll {@code internal/station/CompactJws} and
 * the payload record of {@code SignedRequestVerifier}, commit e8ef1c9^), kept here only to measure the change.
 * Errors are plain {@link IllegalArgumentException}s; the checks and their order are the old ones.
 */
final class LegacyStationJws {
    private static final Set<String> HEADER_FIELDS = Set.of("alg", "typ", "kid");

    private LegacyStationJws() {
    }

    /** The old signed payload record; every field required, no others. */
    record Payload(@JsonProperty(value = "method", required = true) String method,
                   @JsonProperty(value = "path", required = true) String path,
                   @JsonProperty(value = "bodySha256", required = true) String bodySha256,
                   @JsonProperty(value = "timestamp", required = true) long timestamp,
                   @JsonProperty(value = "nonce", required = true) String nonce) {
    }

    record Parsed(String kid, byte[] signingInput, byte[] payload, byte[] signature) {
    }

    static Parsed parse(String compact, int maxLength, String expectedTyp) {
        if (compact.length() > maxLength) throw new IllegalArgumentException("JWS longer than " + maxLength);
        int first = compact.indexOf('.');
        int second = first < 0 ? -1 : compact.indexOf('.', first + 1);
        if (first < 0 || second < 0 || compact.indexOf('.', second + 1) >= 0) {
            throw new IllegalArgumentException("Expected a compact JWS: header.payload.signature");
        }
        Base64.Decoder b64 = Base64.getUrlDecoder();
        byte[] header = b64.decode(compact.substring(0, first));
        byte[] payload = b64.decode(compact.substring(first + 1, second));
        byte[] signature = b64.decode(compact.substring(second + 1));
        JsonNode h;
        try {
            h = WireJson.strict().readTree(header);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("JWS protected header is not JSON");
        }
        if (h == null || !h.isObject()) throw new IllegalArgumentException("JWS protected header must be a JSON object");
        for (Iterator<String> it = h.fieldNames(); it.hasNext(); ) {
            if (!HEADER_FIELDS.contains(it.next())) throw new IllegalArgumentException("JWS header field not accepted");
        }
        if (!"ES256".equals(text(h, "alg"))) throw new IllegalArgumentException("JWS alg must be ES256");
        if (!expectedTyp.equals(text(h, "typ"))) throw new IllegalArgumentException("JWS typ must be " + expectedTyp);
        String kid = text(h, "kid");
        if (kid == null || kid.isEmpty() || kid.length() > 40) throw new IllegalArgumentException("JWS kid");
        if (signature.length != 64) throw new IllegalArgumentException("ES256 signature must be 64 bytes");
        return new Parsed(kid, compact.substring(0, second).getBytes(StandardCharsets.US_ASCII), payload, signature);
    }

    private static String text(JsonNode h, String field) {
        JsonNode n = h.get(field);
        return n != null && n.isTextual() ? n.asText() : null;
    }
}
