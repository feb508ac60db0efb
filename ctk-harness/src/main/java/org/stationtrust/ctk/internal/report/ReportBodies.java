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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.stationtrust.ctk.internal.check.AnswerFields;
import org.stationtrust.logging.Redaction;
import org.stationtrust.sbi.client.CompactJws;
import org.stationtrust.sbi.client.DeviceAnswerRejected;

/**
 * How an exchange's body appears in a report: as it was, with signed parts shown decoded (header, payload,
 * signature length) so a reader sees what the device signed, and every value the shared {@link Redaction} policy
 * withholds (bioValue, sessionKey, ...) replaced by its length. What is withheld is the policy's decision, not this
 * class's.
 */
public final class ReportBodies {
    static final int MAX_SHOWN = 16 * 1024;
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    /** A "key": "value" pair in text that is not JSON (a truncated or malformed answer). */
    private static final Pattern QUOTED_PAIR = Pattern.compile("\"([^\"\\\\]{1,64})\"\\s*:\\s*\"[^\"]*\"?");

    private ReportBodies() {
    }

    /** The body as report text: pretty redacted JSON, or scrubbed text, or a byte count for binary. */
    public static String body(byte[] body) {
        if (body.length == 0) {
            return "";
        }
        Optional<JsonNode> json = body.length <= 32 * 1024 * 1024 ? AnswerFields.json(body) : Optional.empty();
        if (json.isPresent() && (json.get().isContainerNode())) {
            return cut(redact(json.get()).toPrettyString());
        }
        try {
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body, 0, Math.min(body.length, MAX_SHOWN))).toString();
            return cut(Redaction.scrub(withheldPairs(text)))
                    + (body.length > MAX_SHOWN ? "\n... (" + body.length + " bytes in all)" : "");
        } catch (CharacterCodingException e) {
            return "<" + body.length + " bytes, not UTF-8 text>";
        }
    }

    /**
     * A copy of {@code node} for a report: JWS strings decoded (their payload redacted the same way), values under
     * keys the policy calls sensitive replaced by their length, other text scrubbed.
     */
    public static JsonNode redact(JsonNode node) {
        if (node.isObject()) {
            ObjectNode out = F.objectNode();
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                out.set(e.getKey(), field(e.getKey(), e.getValue()));
            }
            return out;
        }
        if (node.isArray()) {
            var out = F.arrayNode();
            node.forEach(n -> out.add(redact(n)));
            return out;
        }
        if (node.isTextual()) {
            return jws(node.asText()).orElseGet(() -> F.textNode(Redaction.scrub(node.asText())));
        }
        return node;
    }

    private static JsonNode field(String key, JsonNode value) {
        if (value.isTextual()) {
            Optional<JsonNode> decoded = jws(value.asText());
            if (decoded.isPresent()) {
                return decoded.get();
            }
            if (Redaction.isSensitiveKey(key)) {
                return F.textNode("<" + key + " elided: " + value.asText().length() + " characters>");
            }
        } else if (value.isValueNode() && !value.isNull() && Redaction.isSensitiveKey(key)) {
            return F.textNode("<" + key + " elided>");
        }
        return redact(value);
    }

    private static String withheldPairs(String text) {
        Matcher m = QUOTED_PAIR.matcher(text);
        StringBuilder out = new StringBuilder(text.length());
        while (m.find()) {
            String replacement = Redaction.isSensitiveKey(m.group(1)) ? "\"" + m.group(1) + "\":\"<elided>\"" : m.group();
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** A JWS that reads as a station reads it (sbi-client's CompactJws), shown decoded; empty for any other text. */
    private static Optional<JsonNode> jws(String value) {
        if (value.length() < 20 || !CompactJws.looksLike(value)) {
            return Optional.empty();
        }
        CompactJws parsed;
        JsonNode payload;
        try {
            parsed = CompactJws.parse(value, "JWS");
            payload = parsed.payloadJson("JWS payload");
        } catch (DeviceAnswerRejected e) {
            return Optional.empty();
        }
        ObjectNode shown = F.objectNode();
        // The header is the device's text as much as the payload: the same policy, then x5c shown as a count.
        ObjectNode h = (ObjectNode) redact(parsed.header());
        if (h.path("x5c").isArray()) {
            h.put("x5c", "<" + h.path("x5c").size() + " certificate(s)>");
        }
        shown.set("jwsHeader", h);
        shown.set("jwsPayload", redact(payload));
        shown.put("jwsSignature", "<" + (value.length() - value.lastIndexOf('.') - 1) + " characters>");
        return Optional.of(shown);
    }

    private static String cut(String s) {
        return s.length() > MAX_SHOWN ? s.substring(0, MAX_SHOWN) + "\n... (cut at " + MAX_SHOWN + " characters)" : s;
    }
}
