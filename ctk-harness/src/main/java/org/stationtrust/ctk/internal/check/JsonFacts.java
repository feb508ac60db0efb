package org.stationtrust.ctk.internal.check;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/** Small, bounded readings of device JSON shared by the checks. */
public final class JsonFacts {
    /**
     * Refuses a repeated key as sbi-client's Json does (two parsers must not disagree on a field): a
     * looser harness would pass a device that every station refuses.
     */
    public static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());
    private static final int MAX_DECODED = 16 * 1024 * 1024;

    private JsonFacts() {
    }

    /** The text of a string field, or empty when absent or not a string. */
    public static Optional<String> text(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v != null && v.isTextual() ? Optional.of(v.asText()) : Optional.empty();
    }

    /** A number sent as a JSON number or a numeric string (SBI scores come both ways). */
    public static Optional<Double> number(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (v.isNumber()) {
            return Optional.of(v.asDouble());
        }
        if (v.isTextual()) {
            try {
                double d = Double.parseDouble(v.asText().trim());
                return Double.isFinite(d) ? Optional.of(d) : Optional.empty();
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /**
     * Decodes base64url as the station does for bioValue, sessionKey and an unsigned digitalId
     * (sbi-client Json.base64Url): trailing padding tolerated, the standard {@code +/} alphabet not.
     * JWS parts are stricter still ({@link SignatureCheck}); x5c is {@link #base64Either}.
     */
    public static Optional<byte[]> base64(String value) {
        if (value == null || value.length() > MAX_DECODED * 4 / 3 + 4) {
            return Optional.empty();
        }
        String v = value.strip();
        while (v.endsWith("=")) {
            v = v.substring(0, v.length() - 1);
        }
        try {
            return Optional.of(Base64.getUrlDecoder().decode(v));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Standard base64 as x5c is written (RFC 7515 §4.1.6), base64url tolerated; empty when neither fits. */
    public static Optional<byte[]> base64Either(String value) {
        if (value == null || value.length() > MAX_DECODED * 4 / 3 + 4) {
            return Optional.empty();
        }
        String v = value.trim();
        try {
            return Optional.of(Base64.getUrlDecoder().decode(v));
        } catch (IllegalArgumentException e) {
            try {
                return Optional.of(Base64.getDecoder().decode(v));
            } catch (IllegalArgumentException e2) {
                return Optional.empty();
            }
        }
    }

    /** Parses JSON out of base64(url) text: an unsigned digitalId or a JWS part. */
    public static Optional<JsonNode> base64Json(String value) {
        return base64(value).flatMap(JsonFacts::parse);
    }

    public static Optional<JsonNode> parse(byte[] bytes) {
        try {
            JsonNode n = MAPPER.readTree(bytes);
            return n == null || n.isMissingNode() ? Optional.empty() : Optional.of(n);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The decoded payload of a compact JWS, without verifying it. */
    public static Optional<JsonNode> jwsPayload(String compact) {
        if (compact == null) {
            return Optional.empty();
        }
        String[] parts = compact.split("\\.", -1);
        return parts.length == 3 ? base64Json(parts[1]) : Optional.empty();
    }

    /** The digitalId inside a payload: a JWS (info, capture) or plain base64url JSON (discovery). */
    public static Optional<JsonNode> digitalId(String value) {
        if (value == null) {
            return Optional.empty();
        }
        return value.chars().filter(c -> c == '.').count() == 2 ? jwsPayload(value) : base64Json(value);
    }

    public static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
