package org.stationtrust.sbi.client;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Base64;
import org.stationtrust.logging.Redaction;

/**
 * The one strict reader of a device's JSON, used by the station's verification and by the CTK alike so
 * that a device the CTK passes is never refused at a station for its JSON. Bounds: nesting depth
 * {@value #MAX_NESTING_DEPTH}, numbers of {@value #MAX_NUMBER_LENGTH} characters, strings of
 * {@value #MAX_STRING_LENGTH} characters. A key repeated in one object is refused (two parsers could read
 * different values). Bytes after the first value are tolerated: deployed devices send them. Every failure
 * is a {@link RejectionReason#MALFORMED_ANSWER} whose detail says what was wrong and where, without
 * quoting device bytes (they may be part of a biometric value). Stateless and thread-safe.
 */
public final class DeviceJson {
    public static final int MAX_NESTING_DEPTH = 32;
    public static final int MAX_NUMBER_LENGTH = 64;
    public static final int MAX_STRING_LENGTH = 32 * 1024 * 1024;
    private static final ObjectMapper MAPPER = mapper();

    private DeviceJson() {
    }

    private static ObjectMapper mapper() {
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH)
                        .maxNumberLength(MAX_NUMBER_LENGTH).maxStringLength(MAX_STRING_LENGTH).build())
                .build();
        factory.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        return new ObjectMapper(factory);
    }

    /**
     * Reads one JSON value; {@code what} names it in the message ("capture answer", "deviceInfo payload").
     * The tree returned is the caller's own (a fresh parse each call).
     */
    public static JsonNode read(byte[] bytes, String what) throws DeviceAnswerRejected {
        JsonNode node;
        try {
            node = MAPPER.readTree(bytes);
        } catch (IOException | RuntimeException e) {
            if (e instanceof JsonProcessingException j && String.valueOf(j.getOriginalMessage()).startsWith("Duplicate field")) {
                throw malformed(what + " repeats a JSON key in one object" + where(j) + "; a station refuses it, since two"
                        + " parsers could read different values: send each key once");
            }
            throw malformed(what + " is not valid JSON (" + describe(e) + ")");
        }
        if (node == null || node.isMissingNode()) {
            throw malformed(what + " is empty, expected a JSON value");
        }
        return node;
    }

    /**
     * base64url as SBI uses it for bioValue, sessionKey and an unsigned digitalId or deviceInfo: white space
     * around it and trailing {@code =} padding tolerated, the standard {@code +/} alphabet not. (The parts of a
     * compact JWS are stricter still: {@link CompactJws}.)
     */
    public static byte[] base64Url(String value, String what) throws DeviceAnswerRejected {
        if (value == null) {
            throw malformed(what + " is missing, expected base64url text");
        }
        String v = value.strip();
        int end = v.length();
        while (end > 0 && v.charAt(end - 1) == '=') {
            end--;
        }
        try {
            return Base64.getUrlDecoder().decode(v.substring(0, end));
        } catch (IllegalArgumentException e) {
            throw malformed(what + " is not valid base64url (" + Redaction.deviceText(e.getMessage()) + ")");
        }
    }

    /**
     * A DER certificate of an x5c header (RFC 7515 §4.1.6: standard base64, padded); base64url is tolerated
     * because devices send it, but nothing outside either alphabet (no line breaks or stray characters).
     */
    public static byte[] base64Certificate(String value, String what) throws DeviceAnswerRejected {
        if (value == null) {
            throw malformed(what + " is missing, expected a base64 DER certificate");
        }
        String v = value.strip();
        try {
            if (v.indexOf('-') >= 0 || v.indexOf('_') >= 0) {
                return Base64.getUrlDecoder().decode(v);
            }
            return Base64.getDecoder().decode(v);
        } catch (IllegalArgumentException e) {
            throw malformed(what + " is not base64 (" + Redaction.deviceText(e.getMessage()) + ")");
        }
    }

    private static DeviceAnswerRejected malformed(String detail) {
        return new DeviceAnswerRejected(RejectionReason.MALFORMED_ANSWER, detail);
    }

    /**
     * The parser's complaint up to its first quoted excerpt, plus where: Jackson quotes the offending token,
     * which can be a piece of an unquoted bioValue, and this message reaches logs and CTK reports.
     */
    private static String describe(Exception e) {
        String message = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
        String line = message == null ? "" : message.lines().findFirst().orElse("");
        String kind = line.split("['\"(]", 2)[0].strip();
        kind = Redaction.deviceText(kind.isEmpty() ? e.getClass().getSimpleName() : kind, 160);
        return e instanceof JsonProcessingException j ? kind + where(j) : kind;
    }

    private static String where(JsonProcessingException e) {
        return e.getLocation() == null ? ""
                : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
    }
}
