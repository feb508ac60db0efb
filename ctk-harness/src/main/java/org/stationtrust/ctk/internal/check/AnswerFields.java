package org.stationtrust.ctk.internal.check;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;
import org.stationtrust.sbi.client.CompactJws;
import org.stationtrust.sbi.client.DeviceAnswerRejected;
import org.stationtrust.sbi.client.DeviceJson;

/**
 * Fields of a device answer as the checks read them. The bytes are read by sbi-client's strict readers
 * ({@link DeviceJson}, {@link CompactJws}), the very ones a station verifies with, so the harness never
 * passes what a station refuses; here a value that does not read is empty, because the check that owns
 * that defect reports it (a check judges one thing, the others go on with what they can read).
 */
public final class AnswerFields {
    private AnswerFields() {
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

    /** Device JSON as {@link DeviceJson#read} reads it; empty when it does not. */
    public static Optional<JsonNode> json(byte[] bytes) {
        try {
            return Optional.of(DeviceJson.read(bytes, "answer"));
        } catch (DeviceAnswerRejected e) {
            return Optional.empty();
        }
    }

    /** base64url as {@link DeviceJson#base64Url} reads bioValue and sessionKey; empty when it does not. */
    public static Optional<byte[]> base64Url(String value) {
        try {
            return value == null ? Optional.empty() : Optional.of(DeviceJson.base64Url(value, "value"));
        } catch (DeviceAnswerRejected e) {
            return Optional.empty();
        }
    }

    /** The payload JSON of a compact JWS read by {@link CompactJws} (not verified); empty when it does not read. */
    public static Optional<JsonNode> jwsPayload(String compact) {
        try {
            return compact == null ? Optional.empty() : Optional.of(CompactJws.parse(compact, "JWS").payloadJson("payload"));
        } catch (DeviceAnswerRejected e) {
            return Optional.empty();
        }
    }

    /** The digitalId inside a payload: a JWS (info, capture) or plain base64url JSON (discovery). */
    public static Optional<JsonNode> digitalId(String value) {
        if (value == null) {
            return Optional.empty();
        }
        return CompactJws.looksLike(value) ? jwsPayload(value) : base64Url(value).flatMap(AnswerFields::json);
    }
}
