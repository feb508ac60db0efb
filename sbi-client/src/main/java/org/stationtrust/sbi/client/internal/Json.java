package org.stationtrust.sbi.client.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.stationtrust.logging.Redaction;
import org.stationtrust.sbi.client.DeviceAnswerRejected;
import org.stationtrust.sbi.client.RejectionReason;

/**
 * The edge where device bytes become JSON trees: bounded depth and number length, duplicate keys
 * rejected (two parsers must not disagree on a field), every failure a MALFORMED_ANSWER.
 */
public final class Json {
    public static final ObjectMapper MAPPER = mapper();

    private Json() {
    }

    private static ObjectMapper mapper() {
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(32).maxNumberLength(64).maxStringLength(64 * 1024 * 1024).build())
                .build();
        factory.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        return new ObjectMapper(factory);
    }

    /** Parses one JSON value; trailing bytes after it are tolerated (deployed devices send them). */
    public static JsonNode parse(byte[] bytes, String what) throws DeviceAnswerRejected {
        try {
            JsonNode node = MAPPER.readTree(bytes);
            if (node == null || node.isMissingNode()) {
                throw malformed(what + " is empty, expected a JSON value");
            }
            return node;
        } catch (IOException | RuntimeException e) {
            throw new DeviceAnswerRejected(RejectionReason.MALFORMED_ANSWER, what + " is not valid JSON ("
                    + describe(e) + ")");
        }
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

    /** base64url (unpadded or padded) as SBI uses for payloads and bioValue. */
    public static byte[] base64Url(String value, String what) throws DeviceAnswerRejected {
        try {
            String v = value.strip();
            while (v.endsWith("=")) {
                v = v.substring(0, v.length() - 1);
            }
            return Base64.getUrlDecoder().decode(v);
        } catch (IllegalArgumentException e) {
            throw malformed(what + " is not valid base64url (" + Redaction.deviceText(e.getMessage()) + ")");
        }
    }

    /** Standard base64 as in x5c (RFC 7515 §4.1.6); base64url is tolerated. */
    public static byte[] base64Either(String value) {
        String v = value.strip();
        if (v.indexOf('-') >= 0 || v.indexOf('_') >= 0) {
            return Base64.getUrlDecoder().decode(v.replace("=", ""));
        }
        return Base64.getMimeDecoder().decode(v);
    }

    public static DeviceAnswerRejected malformed(String detail) {
        return new DeviceAnswerRejected(RejectionReason.MALFORMED_ANSWER, detail);
    }

    private static String kind(JsonNode node) {
        return node == null ? "nothing" : node.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * The parser's complaint up to the first quoted excerpt, plus where: Jackson quotes the offending
     * token, which can be a piece of an unquoted bioValue, and this message reaches logs.
     */
    private static String describe(Exception e) {
        String message = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
        String line = message == null ? "" : message.lines().findFirst().orElse("");
        String kind = line.split("['\"(]", 2)[0].strip();
        kind = Redaction.deviceText(kind.isEmpty() ? e.getClass().getSimpleName() : kind, 80);
        if (e instanceof JsonProcessingException j && j.getLocation() != null) {
            return kind + " at line " + j.getLocation().getLineNr() + ", column " + j.getLocation().getColumnNr();
        }
        return kind;
    }
}
