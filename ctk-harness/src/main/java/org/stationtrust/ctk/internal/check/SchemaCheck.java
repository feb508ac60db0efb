package org.stationtrust.ctk.internal.check;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.stationtrust.ctk.internal.check.Observation.Answer;

/**
 * Required fields, JSON types and allowed values of discovery, info and capture answers (SBI 0.9.5
 * §Device Discovery, §Device Info, §Capture, §Registration Capture). Error answers only need a
 * well-formed error object.
 */
public final class SchemaCheck implements Check {
    static final Set<String> STATUSES = Set.of("Ready", "Busy", "Not Ready", "Not Registered");
    static final Set<String> TYPES = Set.of("Finger", "Iris", "Face");
    static final Set<String> PURPOSES = Set.of("Registration", "Auth");
    private static final List<String> DISCOVERY_FIELDS = List.of("deviceId", "deviceStatus", "certification",
            "serviceVersion", "callbackId", "digitalId", "deviceCode", "purpose");
    private static final List<String> INFO_FIELDS = List.of("deviceStatus", "deviceId", "firmware", "certification",
            "serviceVersion", "callbackId", "digitalId", "deviceCode", "env", "purpose");
    private static final List<String> CAPTURE_FIELDS = List.of("digitalId", "deviceCode", "deviceServiceVersion",
            "bioType", "purpose", "env", "bioValue", "transactionId", "timestamp");

    @Override
    public String name() {
        return "schema";
    }

    @Override
    public Finding judge(Observation o, JudgingRules rules) {
        if (o.answers.isEmpty()) {
            return o.testCase().expect().success()
                    ? Finding.fail(name(), "no JSON answer was received to check")
                    : Finding.notEvaluated(name(), "no JSON answer (the error check judges that)");
        }
        List<String> problems = new ArrayList<>();
        for (Answer a : o.answers) {
            String where = a.exchange().verb();
            if (a.parseProblem() != null) {
                problems.add(where + " answer is not valid JSON: " + a.parseProblem());
                continue;
            }
            switch (a.kind()) {
                case DISCOVERY -> discovery(a.json(), problems);
                case INFO -> info(a.json(), problems);
                case CAPTURE -> capture(a.json(), "Auth".equals(purposeOf(o)), problems);
                default -> problems.add("unknown answer kind");
            }
        }
        for (Observation.InfoEntry entry : o.infos) {
            if (entry.payload() != null && "0".equals(entry.errorCode())) {
                requireStrings(entry.payload(), INFO_FIELDS, "deviceInfo payload", problems);
                requireArray(entry.payload(), "deviceSubId", "deviceInfo payload", problems);
                requireArray(entry.payload(), "specVersion", "deviceInfo payload", problems);
                allowed(entry.payload(), "deviceStatus", STATUSES, "deviceInfo payload", problems);
            }
        }
        for (Observation.CaptureElement e : o.elements) {
            if (e.success() && e.payload() != null) {
                String where = "biometrics[" + e.index() + "].data";
                requireStrings(e.payload(), CAPTURE_FIELDS, where, problems);
                allowed(e.payload(), "bioType", TYPES, where, problems);
                allowed(e.payload(), "purpose", PURPOSES, where, problems);
                for (String score : List.of("requestedScore", "qualityScore")) {
                    if (AnswerFields.number(e.payload(), score).isEmpty()) {
                        problems.add(where + "." + score + " is missing or not a number");
                    }
                }
            } else if (e.success() && e.payload() == null) {
                problems.add("biometrics[" + e.index() + "].data is not a JWS with a JSON payload");
            }
        }
        return Finding.of(name(), problems, "answers have every required field with the right type");
    }

    static String purposeOf(Observation o) {
        return o.device() == null ? o.testCase().purpose() : o.device().purpose();
    }

    private static void discovery(JsonNode json, List<String> problems) {
        if (!json.isArray()) {
            problems.add("MOSIPDISC answer must be a JSON array, was " + json.getNodeType());
            return;
        }
        int i = 0;
        for (JsonNode d : json) {
            String where = "discovery[" + i++ + "]";
            if (!errorObject(d, where, problems) || !"0".equals(d.path("error").path("errorCode").asText())) {
                continue;
            }
            requireStrings(d, DISCOVERY_FIELDS, where, problems);
            requireArray(d, "deviceSubId", where, problems);
            requireArray(d, "specVersion", where, problems);
            allowed(d, "deviceStatus", STATUSES, where, problems);
            AnswerFields.text(d, "digitalId").ifPresent(id -> {
                if (id.chars().filter(ch -> ch == '.').count() == 2) {
                    problems.add(where + ".digitalId is a JWS; SBI 0.9.5 §Device Discovery sends it unsigned (base64url JSON)");
                }
            });
            AnswerFields.text(d, "callbackId").ifPresent(cb -> {
                if (!cb.startsWith("http://127.0.0.1:")) {
                    problems.add(where + ".callbackId '" + cb + "' must be http://127.0.0.1:<port>/ (not localhost)");
                }
            });
        }
    }

    private static void info(JsonNode json, List<String> problems) {
        if (!json.isArray() || json.isEmpty()) {
            problems.add("MOSIPDINFO answer must be a non-empty JSON array");
            return;
        }
        int i = 0;
        for (JsonNode d : json) {
            String where = "info[" + i++ + "]";
            errorObject(d, where, problems);
            if (!d.path("deviceInfo").isTextual()) {
                problems.add(where + ".deviceInfo must be a string (JWS, or base64url JSON when not registered)");
            }
        }
    }

    private static void capture(JsonNode json, boolean auth, List<String> problems) {
        JsonNode bio = json.path("biometrics");
        if (!json.isObject() || !bio.isArray()) {
            problems.add("capture answer must be an object with a 'biometrics' array");
            return;
        }
        int i = 0;
        for (JsonNode e : bio) {
            String where = "biometrics[" + i++ + "]";
            if (!errorObject(e, where, problems)) {
                continue;
            }
            if (!"0".equals(e.path("error").path("errorCode").asText())) {
                continue;
            }
            requireStrings(e, List.of("specVersion", "data", "hash"), where, problems);
            AnswerFields.text(e, "hash").ifPresent(h -> {
                if (!h.matches("[0-9A-Fa-f]{64}")) {
                    problems.add(where + ".hash must be 64 hex digits, was '" + abbreviate(h) + "'");
                }
            });
            if (auth) {
                requireStrings(e, List.of("sessionKey", "thumbprint"), where, problems);
            }
        }
    }

    private static boolean errorObject(JsonNode element, String where, List<String> problems) {
        JsonNode err = element.path("error");
        if (!err.isObject()) {
            problems.add(where + " has no 'error' object");
            return false;
        }
        if (!err.path("errorCode").isTextual()) {
            problems.add(where + ".error.errorCode must be a JSON string (\"0\" on success), was "
                    + err.path("errorCode").getNodeType());
            return false;
        }
        if (!err.path("errorInfo").isTextual()) {
            problems.add(where + ".error.errorInfo must be a string");
        }
        return true;
    }

    private static void requireStrings(JsonNode node, List<String> fields, String where, List<String> problems) {
        for (String f : fields) {
            if (!node.path(f).isTextual()) {
                problems.add(where + "." + f + " is missing or not a string");
            }
        }
    }

    private static void requireArray(JsonNode node, String field, String where, List<String> problems) {
        if (!node.path(field).isArray()) {
            problems.add(where + "." + field + " must be an array");
        }
    }

    private static void allowed(JsonNode node, String field, Set<String> values, String where, List<String> problems) {
        AnswerFields.text(node, field).ifPresent(v -> {
            if (!values.contains(v)) {
                problems.add(where + "." + field + " '" + abbreviate(v) + "' is not one of " + values);
            }
        });
    }

    static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
