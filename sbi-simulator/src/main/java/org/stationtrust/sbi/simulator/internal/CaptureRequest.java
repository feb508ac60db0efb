package org.stationtrust.sbi.simulator.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A parsed RCAPTURE / CAPTURE request. Parsing enforces the interop rules deployed devices enforce
 * (docs/sbi-protocol.md §Registration capture): numbers as JSON strings, previousHash present, transactionId
 * pattern, UTC captureTime, one modality.
 */
public record CaptureRequest(
        String env,
        String purpose,
        String specVersion,
        Duration timeout,
        String captureTime,
        String domainUri,
        String transactionId,
        String bioType,
        int count,
        List<String> bioSubTypes,
        List<String> exceptions,
        int requestedScore,
        String deviceId,
        int deviceSubId,
        byte[] previousHash) {

    /** SBI 0.9.5 (24-Oct-2023): 4-50 letters, digits and hyphens. */
    private static final Pattern TRANSACTION_ID = Pattern.compile("[A-Za-z0-9-]{4,50}");
    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,9}");
    private static final Pattern HEX64 = Pattern.compile("[0-9A-Fa-f]{64}");
    private static final int MAX_NAMES = 16;

    public static CaptureRequest parse(byte[] body) throws DeviceError {
        JsonNode root;
        try {
            root = Wire.JSON.readTree(body);
        } catch (IOException e) {
            throw malformed("Request body is not JSON");
        }
        if (root == null || !root.isObject()) {
            throw malformed("Request body must be a JSON object");
        }
        String transactionId = text(root, "transactionId", null);
        if (transactionId == null || !TRANSACTION_ID.matcher(transactionId).matches()) {
            throw new DeviceError(DeviceError.INVALID_TRANSACTION_ID,
                    "transactionId must be a JSON string of 4-50 letters, digits or hyphens");
        }
        String specVersion = requiredText(root, "specVersion");
        if (!Wire.SPEC_VERSION.equals(specVersion)) {
            throw malformed("specVersion '" + specVersion + "' is not supported; this device speaks " + Wire.SPEC_VERSION);
        }
        String purpose = requiredText(root, "purpose");
        if (!purpose.equals("Registration") && !purpose.equals("Auth")) {
            throw malformed("purpose must be Registration or Auth, was '" + purpose + "'");
        }
        String env = requiredText(root, "env");
        int timeoutMs = number(root, "timeout", 1, 600_000);
        String captureTime = requiredText(root, "captureTime");
        try {
            Wire.parseTimestamp(captureTime);
        } catch (DateTimeParseException e) {
            throw malformed("captureTime must be UTC yyyy-MM-dd'T'HH:mm:ss'Z', was '" + captureTime + "'");
        }
        String domainUri = text(root, "domainUri", "");
        JsonNode bios = root.get("bio");
        if (bios == null || !bios.isArray() || bios.size() != 1 || !bios.get(0).isObject()) {
            throw malformed("bio must be an array of exactly one object (one modality per request)");
        }
        JsonNode bio = bios.get(0);
        String previousHash = text(bio, "previousHash", null);
        if (previousHash == null || !HEX64.matcher(previousHash).matches()) {
            throw malformed("bio[0].previousHash must be the 64-hex SHA-256 of the previous capture"
                    + " (of the empty string for the first)");
        }
        return new CaptureRequest(env, purpose, specVersion, Duration.ofMillis(timeoutMs), captureTime, domainUri,
                transactionId, requiredText(bio, "type"), number(bio, "count", 1, 10), names(bio, "bioSubType"),
                names(bio, "exception"), number(bio, "requestedScore", 0, 100), requiredText(bio, "deviceId"),
                number(bio, "deviceSubId", 0, 3), HexFormat.of().parseHex(previousHash));
    }

    private static DeviceError malformed(String info) {
        return new DeviceError(DeviceError.MALFORMED_REQUEST, info);
    }

    private static String text(JsonNode node, String field, String absent) throws DeviceError {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return absent;
        }
        if (!v.isTextual()) {
            throw malformed(field + " must be a JSON string");
        }
        return v.asText();
    }

    private static String requiredText(JsonNode node, String field) throws DeviceError {
        String v = text(node, field, null);
        if (v == null) {
            throw malformed(field + " is missing");
        }
        return v;
    }

    /** Numbers travel as JSON strings (docs/sbi-protocol.md interop rules); a JSON number is refused. */
    private static int number(JsonNode node, String field, int min, int max) throws DeviceError {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual() || !DIGITS.matcher(v.asText()).matches()) {
            throw malformed(field + " must be a JSON string holding an integer (e.g. \"" + min + "\"), was "
                    + (v == null ? "absent" : v.toString()));
        }
        int n = Integer.parseInt(v.asText());
        if (n < min || n > max) {
            throw malformed(field + " must be " + min + "-" + max + ", was " + n);
        }
        return n;
    }

    private static List<String> names(JsonNode node, String field) throws DeviceError {
        JsonNode v = node.get(field);
        List<String> out = new ArrayList<>();
        if (v == null || v.isNull()) {
            return out;
        }
        if (!v.isArray() || v.size() > MAX_NAMES) {
            throw malformed(field + " must be an array of at most " + MAX_NAMES + " names");
        }
        for (JsonNode n : v) {
            if (!n.isTextual() || !SensorLayout.isKnownName(n.asText())) {
                throw malformed(field + " holds an unknown name " + n + "; expected SBI bioSubType names");
            }
            out.add(n.asText());
        }
        return out;
    }
}
