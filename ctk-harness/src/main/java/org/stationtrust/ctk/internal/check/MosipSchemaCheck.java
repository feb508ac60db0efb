package org.stationtrust.ctk.internal.check;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The mosip profile only: what MOSIP's toolkit 1.4.x schemas (resources/schemas/sbi/*.json) refuse
 * although SBI 0.9.5 tolerates it. No property beyond the schema's (additionalProperties false at
 * every level since 1.4.0); requestedScore and qualityScore strings of 1-3 digits; errorInfo non-empty,
 * and exactly "Success" beside errorCode "0"; an error element of a capture carrying specVersion, data and
 * hash (null allowed), a three-digit errorCode 100-999 (any code for a transaction id, as MOSIP's schema of
 * that case wants) and an errorInfo other than "Success"; a discovery entry answering an error with the same code
 * and info rules; error 109 with the spec table's words; no
 * bioSubType on a face element; deviceSubId entries the strings "0" to "3"; domainUri on authentication
 * captures; purpose and certification from their enumerations, also when the device is Not Registered. (The
 * hash's upper case is the spec's own rule: the hash-chain check judges it in both profiles.)
 */
public final class MosipSchemaCheck implements Check {
    static final Set<String> DISCOVERY_KEYS = Set.of("deviceId", "deviceStatus", "certification", "serviceVersion",
            "deviceSubId", "callbackId", "digitalId", "deviceCode", "specVersion", "purpose", "error");
    static final Set<String> INFO_KEYS = Set.of("deviceStatus", "deviceId", "firmware", "certification",
            "serviceVersion", "deviceSubId", "callbackId", "digitalId", "deviceCode", "env", "purpose", "specVersion");
    static final Set<String> DIGITAL_ID_KEYS = Set.of("serialNo", "make", "model", "type", "deviceSubType",
            "deviceProvider", "deviceProviderId", "dateTime");
    static final Set<String> ELEMENT_KEYS = Set.of("specVersion", "data", "hash", "error");
    static final Set<String> AUTH_ELEMENT_KEYS = Set.of("specVersion", "data", "hash", "error", "sessionKey", "thumbprint");
    static final Set<String> DATA_KEYS = Set.of("digitalId", "deviceCode", "deviceServiceVersion", "bioType",
            "bioSubType", "purpose", "env", "domainUri", "bioValue", "transactionId", "timestamp", "requestedScore",
            "qualityScore");
    static final Set<String> ERROR_KEYS = Set.of("errorCode", "errorInfo");
    static final Set<String> CERTIFICATIONS = Set.of("L0", "L1");
    static final Set<String> SUB_IDS = Set.of("0", "1", "2", "3");
    /** The keys MOSIP's error capture schemas require on an error element (their values may be null). */
    static final List<String> ERROR_ELEMENT_FIELDS = List.of("specVersion", "data", "hash");
    /** MOSIP's ErrorCaptureResponseSchema: an SBI error code is three digits, 100-999. */
    private static final Pattern ERROR_CODE = Pattern.compile("[1-9][0-9]{2}");
    static final String SUCCESS = "Success";
    /** SBI 0.9.5 §Error Codes: the description of 109, which MOSIP's count-mismatch schemas require verbatim. */
    static final String COUNT_NOT_SUPPORTED_INFO = "Requested number of biometric (Finger/IRIS) not supported";

    @Override
    public String name() {
        return "mosip-schema";
    }

    @Override
    public Finding judge(Observation o, JudgingRules rules) {
        if (!rules.mosip()) {
            return Finding.notEvaluated(name(), "mosip profile only");
        }
        List<String> problems = new ArrayList<>();
        int judged = 0;
        for (int i = 0; i < o.discovered.size(); i++) {
            JsonNode d = o.discovered.get(i);
            String where = "discovery[" + i + "]";
            judged++;
            error(d, where, problems);
            if (!"0".equals(d.path("error").path("errorCode").asText())) {
                discoveryError(d, where, problems);
                continue;
            }
            keys(d, DISCOVERY_KEYS, where, problems);
            enumerated(d, "purpose", SchemaCheck.PURPOSES, where, problems);
            enumerated(d, "certification", CERTIFICATIONS, where, problems);
            subIds(d, where, problems);
            AnswerFields.digitalId(d.path("digitalId").asText(null))
                    .ifPresent(id -> keys(id, DIGITAL_ID_KEYS, where + ".digitalId", problems));
        }
        for (Observation.InfoEntry info : o.infos) {
            judged++;
            error(info.element(), "info", problems);
            if (info.payload() == null) {
                continue;
            }
            keys(info.payload(), INFO_KEYS, "deviceInfo", problems);
            enumerated(info.payload(), "purpose", SchemaCheck.PURPOSES, "deviceInfo", problems);
            enumerated(info.payload(), "certification", CERTIFICATIONS, "deviceInfo", problems);
            subIds(info.payload(), "deviceInfo", problems);
            AnswerFields.digitalId(info.payload().path("digitalId").asText(null))
                    .ifPresent(id -> keys(id, DIGITAL_ID_KEYS, "deviceInfo.digitalId", problems));
        }
        boolean auth = "Auth".equals(SchemaCheck.purposeOf(o));
        for (Observation.CaptureElement e : o.elements) {
            judged++;
            String where = "capture " + (e.request() + 1) + " biometrics[" + e.index() + "]";
            error(e.element(), where, problems);
            if (!e.success()) {
                errorElement(e.element(), where, !"invalid-transaction-id".equals(o.testCase().category()), problems);
                countMismatchWords(e, o.testCase().category(), where, problems);
                continue;
            }
            if (auth && e.payload() != null && !e.payload().path("domainUri").isTextual()) {
                problems.add(where + ".data.domainUri is missing (required on authentication captures)");
            }
            keys(e.element(), auth ? AUTH_ELEMENT_KEYS : ELEMENT_KEYS, where, problems);
            if (e.payload() == null) {
                continue;
            }
            keys(e.payload(), DATA_KEYS, where + ".data", problems);
            faceSubType(e.payload(), where, problems);
            for (String score : List.of("requestedScore", "qualityScore")) {
                JsonNode v = e.payload().path(score);
                if (!v.isTextual() || !v.asText().matches("[0-9]{1,3}")) {
                    problems.add(where + ".data." + score + " must be a string of 1-3 digits, was "
                            + (v.isMissingNode() ? "missing" : v.getNodeType() + " " + SchemaCheck.abbreviate(v.toString())));
                }
            }
        }
        if (judged == 0) {
            return Finding.notEvaluated(name(), "no answer to judge");
        }
        return Finding.of(name(), problems, "answers follow MOSIP's schemas");
    }

    private static void error(JsonNode element, String where, List<String> problems) {
        JsonNode err = element == null ? null : element.path("error");
        if (err == null || !err.isObject()) {
            return; // the schema check reports a missing error object
        }
        keys(err, ERROR_KEYS, where + ".error", problems);
        if (!err.path("errorInfo").isTextual() || err.path("errorInfo").asText().isEmpty()) {
            problems.add(where + ".error.errorInfo is missing or empty");
        } else if ("0".equals(err.path("errorCode").asText()) && !SUCCESS.equals(err.path("errorInfo").asText())) {
            problems.add(where + ".error.errorInfo is '" + SchemaCheck.abbreviate(err.path("errorInfo").asText())
                    + "' beside errorCode \"0\"; MOSIP's schemas accept only \"Success\" there");
        }
    }

    /**
     * MOSIP's count-mismatch schemas pin error 109 to the SBI 0.9.5 error table's own description, word for word
     * (the spec leaves errorInfo free; MOSIP does not).
     */
    private static void countMismatchWords(Observation.CaptureElement e, String category, String where,
                                           List<String> problems) {
        if ("bio-count-mismatch".equals(category) && "109".equals(e.errorCode())
                && !COUNT_NOT_SUPPORTED_INFO.equals(e.errorInfo())) {
            problems.add(where + ".error.errorInfo is '" + SchemaCheck.abbreviate(String.valueOf(e.errorInfo()))
                    + "'; MOSIP's count-mismatch schema wants exactly '" + COUNT_NOT_SUPPORTED_INFO + "'");
        }
    }

    /**
     * MOSIP's capture schemas allow a face element's bioSubType only to be absent or the text "null" (SBI 0.9.5:
     * "For Face: No bioSubType"); the spec profile keeps the station's tolerance of "UNKNOWN", "Face" and "".
     */
    private static void faceSubType(JsonNode payload, String where, List<String> problems) {
        JsonNode sub = payload.path("bioSubType");
        if ("Face".equals(payload.path("bioType").asText()) && !sub.isMissingNode() && !sub.isNull()
                && !"null".equals(sub.asText())) {
            problems.add(where + ".data.bioSubType is '" + SchemaCheck.abbreviate(sub.asText())
                    + "' on a face element; MOSIP's schema allows none (or \"null\")");
        }
    }

    /** A capture element answering an error, as MOSIP's error capture schemas read it. */
    private static void errorElement(JsonNode element, String where, boolean threeDigits, List<String> problems) {
        if (element == null || !element.isObject()) {
            return;
        }
        for (String field : ERROR_ELEMENT_FIELDS) {
            if (!element.has(field)) {
                problems.add(where + "." + field + " is missing (MOSIP's error schemas want it, null allowed)");
            }
        }
        keys(element, AUTH_ELEMENT_KEYS, where, problems);
        String code = element.path("error").path("errorCode").asText("");
        if (threeDigits && !ERROR_CODE.matcher(code).matches()) {
            problems.add(where + ".error.errorCode '" + SchemaCheck.abbreviate(code)
                    + "' is not a three-digit SBI error code 100-999");
        }
        if (SUCCESS.equals(element.path("error").path("errorInfo").asText(null))) {
            problems.add(where + ".error.errorInfo says \"Success\" beside errorCode '" + SchemaCheck.abbreviate(code) + "'");
        }
    }

    /**
     * A discovery entry answering an error (SBI1196, an unknown type), as MOSIP's discovery error schema reads it:
     * only the error object is required, no property beyond the discovery entry's, a three-digit code 100-999 and
     * an errorInfo other than "Success".
     */
    private static void discoveryError(JsonNode entry, String where, List<String> problems) {
        keys(entry, DISCOVERY_KEYS, where, problems);
        String code = entry.path("error").path("errorCode").asText("");
        if (!ERROR_CODE.matcher(code).matches()) {
            problems.add(where + ".error.errorCode '" + SchemaCheck.abbreviate(code)
                    + "' is not a three-digit SBI error code 100-999");
        }
        if (SUCCESS.equals(entry.path("error").path("errorInfo").asText(null))) {
            problems.add(where + ".error.errorInfo says \"Success\" beside errorCode '" + SchemaCheck.abbreviate(code) + "'");
        }
    }

    /** MOSIP's discovery and info schemas: deviceSubId entries are the strings "0" to "3" (SBI 0.9.5 §Device Discovery). */
    private static void subIds(JsonNode node, String where, List<String> problems) {
        for (JsonNode id : node.path("deviceSubId")) {
            if (!id.isTextual() || !SUB_IDS.contains(id.asText())) {
                problems.add(where + ".deviceSubId holds " + SchemaCheck.abbreviate(id.toString())
                        + "; MOSIP's schema wants the strings \"0\" to \"3\"");
            }
        }
    }

    private static void keys(JsonNode node, Set<String> allowed, String where, List<String> problems) {
        if (!node.isObject()) {
            return;
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!allowed.contains(k)) {
                problems.add(where + " has the extra property '" + SchemaCheck.abbreviate(k) + "'");
            }
        }
    }

    private static void enumerated(JsonNode node, String field, Set<String> values, String where, List<String> problems) {
        String v = node.path(field).asText(null);
        if (v == null || !values.contains(v)) {
            problems.add(where + "." + field + " '" + (v == null ? "missing" : SchemaCheck.abbreviate(v))
                    + "' is not one of " + values + " (MOSIP wants it also when Not Registered)");
        }
    }
}
