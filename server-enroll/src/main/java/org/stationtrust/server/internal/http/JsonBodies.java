package org.stationtrust.server.internal.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import java.io.IOException;
import java.util.Base64;
import org.stationtrust.protocol.ErrorCode;
import org.stationtrust.protocol.WireJson;

/** Strict JSON ({@link WireJson#strict()}): unknown fields, type coercions and trailing data are refused at the edge. */
public final class JsonBodies {

    private JsonBodies() {
    }

    public static <T> T parse(byte[] body, Class<T> type) {
        if (body == null || body.length == 0) {
            throw new ApiException(ErrorCode.MALFORMED_JSON, "Expected a JSON object body, got an empty body");
        }
        try {
            T value = WireJson.strict().readValue(body, type);
            if (value == null) throw new ApiException(ErrorCode.MALFORMED_JSON, "Expected a JSON object, got null");
            return value;
        } catch (ValueInstantiationException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new ApiException(ErrorCode.INVALID_FIELD, withoutTypeNames(cause.getMessage()));
        } catch (UnrecognizedPropertyException e) {
            throw new ApiException(ErrorCode.INVALID_FIELD, "Unknown field '" + e.getPropertyName()
                    + "'; expected only " + e.getKnownPropertyIds());
        } catch (MismatchedInputException e) {
            throw new ApiException(ErrorCode.INVALID_FIELD, "Field '" + path(e) + "' has the wrong type or shape: "
                    + withoutTypeNames(e.getOriginalMessage().split("\n")[0]));
        } catch (JsonProcessingException e) {
            throw new ApiException(ErrorCode.MALFORMED_JSON, "Body is not well-formed JSON: "
                    + withoutTypeNames(e.getOriginalMessage().split("\n")[0]));
        } catch (IOException e) {
            throw new ApiException(ErrorCode.MALFORMED_JSON, "Body could not be read");
        }
    }

    private static final java.util.regex.Pattern QUALIFIED_TYPE =
            java.util.regex.Pattern.compile("`?\\b(?:[a-z][a-z0-9_]*\\.)+([A-Z][A-Za-z0-9_$]*)(?:\\[\\])?`?");

    /**
     * Jackson's messages name Java types ("`java.lang.String`", "`org.stationtrust...Quote`"): the client is told
     * the JSON shape instead, never an internal class name.
     */
    static String withoutTypeNames(String message) {
        if (message == null) return "";
        java.util.regex.Matcher m = QUALIFIED_TYPE.matcher(message);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String simple = m.group(1);
            String shape = switch (simple) {
                case "String", "Character" -> "a string";
                case "Integer", "Long", "Short", "Byte", "BigInteger" -> "an integer";
                case "Double", "Float", "BigDecimal" -> "a number";
                case "Boolean" -> "a boolean";
                case "List", "ArrayList", "Set" -> "an array";
                case "Map", "LinkedHashMap", "HashMap" -> "an object";
                default -> "the expected JSON value";
            };
            m.appendReplacement(out, java.util.regex.Matcher.quoteReplacement(shape));
        }
        m.appendTail(out);
        return out.toString().replaceAll("`(int|long|boolean|double)`", "$1");
    }

    private static String path(MismatchedInputException e) {
        StringBuilder sb = new StringBuilder();
        for (var ref : e.getPath()) {
            if (sb.length() > 0) sb.append('.');
            sb.append(ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]");
        }
        return sb.length() == 0 ? "(body)" : sb.toString();
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
