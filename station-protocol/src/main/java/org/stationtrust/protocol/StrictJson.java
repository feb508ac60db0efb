package org.stationtrust.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import java.io.IOException;
import java.io.InputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one strict reader of request bodies, for every API the product serves: a body is read with a size bound,
 * then bound to a self-validating record by {@link WireJson#strict()} (duplicate keys, unknown fields, type
 * coercions and trailing data refused). Every refusal is an {@link InvalidJsonBody} whose message names the field
 * and the JSON shape expected.
 */
public final class StrictJson {
    private static final Pattern QUALIFIED_TYPE =
            Pattern.compile("`?\\b(?:[a-z][a-z0-9_]*\\.)+([A-Z][A-Za-z0-9_$]*)(?:\\[\\])?`?");

    private StrictJson() {
    }

    /**
     * Reads at most {@code maxBytes} from {@code in}; a longer body is refused with {@code body_too_large} (the rest
     * is left unread, for the caller to drop or not).
     */
    public static byte[] readBounded(InputStream in, int maxBytes) throws InvalidJsonBody {
        try {
            byte[] bytes = in.readNBytes(maxBytes + 1);
            if (bytes.length > maxBytes) throw tooLarge(maxBytes);
            return bytes;
        } catch (IOException e) {
            throw new InvalidJsonBody(ErrorCode.MALFORMED_JSON, "the request body could not be read");
        }
    }

    /** Binds a body of at most {@code maxBytes} to {@code type}, strictly. */
    public static <T> T read(byte[] body, int maxBytes, Class<T> type) throws InvalidJsonBody {
        if (body != null && body.length > maxBytes) throw tooLarge(maxBytes);
        return read(body, type);
    }

    /** Binds a body its reader already bounded (see {@link #readBounded}) to {@code type}, strictly. */
    public static <T> T read(byte[] body, Class<T> type) throws InvalidJsonBody {
        if (body == null || body.length == 0) {
            throw new InvalidJsonBody(ErrorCode.MALFORMED_JSON, "Expected a JSON object body, got an empty body");
        }
        try {
            T value = WireJson.strict().readValue(body, type);
            if (value == null) throw new InvalidJsonBody(ErrorCode.MALFORMED_JSON, "Expected a JSON object, got null");
            return value;
        } catch (ValueInstantiationException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new InvalidJsonBody(ErrorCode.INVALID_FIELD, withoutTypeNames(cause.getMessage()));
        } catch (UnrecognizedPropertyException e) {
            throw new InvalidJsonBody(ErrorCode.INVALID_FIELD, "Unknown field '" + Fields.clip(e.getPropertyName())
                    + "'; expected only " + e.getKnownPropertyIds());
        } catch (MismatchedInputException e) {
            if (trailingData(e)) {
                // docs/server-api.md, "Error codes": a body that is not a single JSON value is malformed_json.
                throw new InvalidJsonBody(ErrorCode.MALFORMED_JSON, "Body is not a single JSON value: data follows it");
            }
            throw new InvalidJsonBody(ErrorCode.INVALID_FIELD, "Field '" + path(e) + "' has the wrong type or shape: "
                    + withoutTypeNames(firstLine(e.getOriginalMessage())));
        } catch (JsonProcessingException e) {
            throw new InvalidJsonBody(ErrorCode.MALFORMED_JSON, "Body is not well-formed JSON: "
                    + withoutTypeNames(firstLine(e.getOriginalMessage())));
        } catch (IOException e) {
            throw new InvalidJsonBody(ErrorCode.MALFORMED_JSON, "Body could not be read");
        }
    }

    private static InvalidJsonBody tooLarge(int maxBytes) {
        return new InvalidJsonBody(ErrorCode.BODY_TOO_LARGE, "Request body exceeds " + maxBytes + " bytes");
    }

    private static boolean trailingData(MismatchedInputException e) {
        String message = e.getOriginalMessage();
        return e.getPath().isEmpty() && message != null && message.startsWith("Trailing token");
    }

    private static String firstLine(String message) {
        return message == null ? "" : message.split("\n")[0];
    }

    /**
     * Jackson's messages name Java types ("`java.lang.String`", "`org.stationtrust...Quote`"): the client is told
     * the JSON shape instead, never an internal class name.
     */
    static String withoutTypeNames(String message) {
        if (message == null) return "";
        Matcher m = QUALIFIED_TYPE.matcher(message);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String shape = switch (m.group(1)) {
                case "String", "Character" -> "a string";
                case "Integer", "Long", "Short", "Byte", "BigInteger" -> "an integer";
                case "Double", "Float", "BigDecimal" -> "a number";
                case "Boolean" -> "a boolean";
                case "List", "ArrayList", "Set" -> "an array";
                case "Map", "LinkedHashMap", "HashMap" -> "an object";
                default -> "the expected JSON value";
            };
            m.appendReplacement(out, Matcher.quoteReplacement(shape));
        }
        m.appendTail(out);
        return out.toString().replaceAll("`(int|long|boolean|double)`", "$1");
    }

    private static String path(MismatchedInputException e) {
        StringBuilder sb = new StringBuilder();
        for (var ref : e.getPath()) {
            if (sb.length() > 0) sb.append('.');
            sb.append(ref.getFieldName() != null ? Fields.clip(ref.getFieldName()) : "[" + ref.getIndex() + "]");
        }
        return sb.length() == 0 ? "(body)" : sb.toString();
    }
}
