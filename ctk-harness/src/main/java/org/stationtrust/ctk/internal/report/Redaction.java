package org.stationtrust.ctk.internal.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.stationtrust.ctk.internal.check.JsonFacts;

/**
 * The one place where biometric values leave the harness: reports show exchanges as they were, except
 * that bioValue (and the wrapped sessionKey) are replaced by their length, and signed parts are shown
 * decoded (header, payload with the same elisions, signature length).
 */
public final class Redaction {
    static final int MAX_SHOWN = 16 * 1024;
    private static final Set<String> ELIDED = Set.of("bioValue", "sessionKey");
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private Redaction() {
    }

    /** The body as report text: pretty redacted JSON, or scrubbed text, or a byte count for binary. */
    public static String body(byte[] body) {
        if (body.length == 0) {
            return "";
        }
        Optional<JsonNode> json = body.length <= 32 * 1024 * 1024 ? JsonFacts.parse(body) : Optional.empty();
        if (json.isPresent() && (json.get().isContainerNode())) {
            return cut(redact(json.get()).toPrettyString());
        }
        try {
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body, 0, Math.min(body.length, MAX_SHOWN))).toString();
            return cut(text.replaceAll("\"(bioValue|sessionKey)\"\\s*:\\s*\"[^\"]*\"?", "\"$1\":\"<elided>\""))
                    + (body.length > MAX_SHOWN ? "\n... (" + body.length + " bytes in all)" : "");
        } catch (CharacterCodingException e) {
            return "<" + body.length + " bytes, not UTF-8 text>";
        }
    }

    /** A copy of {@code node} with biometric values elided and JWS strings decoded. */
    public static JsonNode redact(JsonNode node) {
        if (node.isObject()) {
            ObjectNode out = F.objectNode();
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                if (ELIDED.contains(e.getKey()) && e.getValue().isTextual()) {
                    out.put(e.getKey(), "<" + e.getKey() + " elided: " + e.getValue().asText().length() + " characters>");
                } else {
                    out.set(e.getKey(), redact(e.getValue()));
                }
            }
            return out;
        }
        if (node.isArray()) {
            var out = F.arrayNode();
            node.forEach(n -> out.add(redact(n)));
            return out;
        }
        if (node.isTextual()) {
            return jws(node.asText()).orElse(node);
        }
        return node;
    }

    private static Optional<JsonNode> jws(String value) {
        String[] parts = value.split("\\.", -1);
        if (parts.length != 3 || value.length() < 20) {
            return Optional.empty();
        }
        Optional<JsonNode> header = JsonFacts.base64Json(parts[0]);
        Optional<JsonNode> payload = JsonFacts.base64Json(parts[1]);
        if (header.isEmpty() || !header.get().has("alg") || payload.isEmpty()) {
            return Optional.empty();
        }
        ObjectNode shown = F.objectNode();
        ObjectNode h = header.get().deepCopy();
        if (h.path("x5c").isArray()) {
            h.put("x5c", "<" + h.path("x5c").size() + " certificate(s)>");
        }
        shown.set("jwsHeader", h);
        shown.set("jwsPayload", redact(payload.get()));
        shown.put("jwsSignature", "<" + parts[2].length() + " characters>");
        return Optional.of(shown);
    }

    private static String cut(String s) {
        return s.length() > MAX_SHOWN ? s.substring(0, MAX_SHOWN) + "\n... (cut at " + MAX_SHOWN + " characters)" : s;
    }
}
