package org.stationtrust.sbi.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.stationtrust.sbi.client.DeviceAnswerRejected;
import org.stationtrust.sbi.client.DeviceJson;
import org.stationtrust.sbi.client.RejectionReason;

/**
 * Typed readings of device JSON trees for the verifiers, every failure a MALFORMED_ANSWER; the bytes become
 * trees in the public {@link DeviceJson}, the strict reader the CTK shares.
 */
public final class Json {
    /** For the requests the station writes; device answers are read by {@link DeviceJson} only. */
    public static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    /** {@link DeviceJson#read}: the one strict reader of device JSON. */
    public static JsonNode parse(byte[] bytes, String what) throws DeviceAnswerRejected {
        return DeviceJson.read(bytes, what);
    }

    public static ObjectNode object(JsonNode node, String what) throws DeviceAnswerRejected {
        if (node instanceof ObjectNode o) {
            return o;
        }
        throw malformed(what + " must be a JSON object, got " + kind(node));
    }

    public static List<JsonNode> array(JsonNode node, String what) throws DeviceAnswerRejected {
        if (node == null || !node.isArray()) {
            throw malformed(what + " must be a JSON array, got " + kind(node));
        }
        List<JsonNode> out = new ArrayList<>(node.size());
        node.forEach(out::add);
        return out;
    }

    /** A required scalar as text; numbers are accepted because devices send scores either way. */
    public static String text(JsonNode obj, String field, String what) throws DeviceAnswerRejected {
        return optText(obj, field, what).orElseThrow(() -> malformed(what + " lacks the field '" + field + "'"));
    }

    public static Optional<String> optText(JsonNode obj, String field, String what) throws DeviceAnswerRejected {
        JsonNode v = obj.get(field);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (v.isTextual() || v.isNumber()) {
            return Optional.of(v.asText());
        }
        throw malformed(what + " field '" + field + "' must be a string, got " + kind(v));
    }

    /** A list of strings, or numbers, or a single string (devices disagree on specVersion/deviceSubId). */
    public static List<String> texts(JsonNode obj, String field, String what) throws DeviceAnswerRejected {
        JsonNode v = obj.get(field);
        List<String> out = new ArrayList<>();
        if (v == null || v.isNull()) {
            return out;
        }
        if (v.isTextual() || v.isNumber()) {
            out.add(v.asText());
            return out;
        }
        for (JsonNode e : array(v, what + " field '" + field + "'")) {
            if (!(e.isTextual() || e.isNumber())) {
                throw malformed(what + " field '" + field + "' must hold strings, got " + kind(e));
            }
            out.add(e.asText());
        }
        return out;
    }

    /** {@link DeviceJson#base64Url}: base64url as SBI uses it for payloads and bioValue. */
    public static byte[] base64Url(String value, String what) throws DeviceAnswerRejected {
        return DeviceJson.base64Url(value, what);
    }

    public static DeviceAnswerRejected malformed(String detail) {
        return new DeviceAnswerRejected(RejectionReason.MALFORMED_ANSWER, detail);
    }

    private static String kind(JsonNode node) {
        return node == null ? "nothing" : node.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
    }
}
