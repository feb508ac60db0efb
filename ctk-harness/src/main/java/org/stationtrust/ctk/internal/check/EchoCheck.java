package org.stationtrust.ctk.internal.check;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Each capture element echoes the request: transactionId, specVersion, purpose, env and bioType
 * (checked for every purpose, where MOSIP's toolkit skips some).
 */
public final class EchoCheck implements Check {

    @Override
    public String name() {
        return "echo";
    }

    @Override
    public Finding judge(Observation o, JudgingRules rules) {
        List<Observation.CaptureElement> elements = o.successfulElements();
        if (elements.isEmpty()) {
            return Finding.notEvaluated(name(), "no successful capture element to compare with its request");
        }
        List<String> problems = new ArrayList<>();
        for (Observation.CaptureElement e : elements) {
            if (e.request() >= o.sent.size() || e.payload() == null) {
                continue;
            }
            JsonNode req = o.sent.get(e.request()).body();
            String where = "capture " + (e.request() + 1) + " biometrics[" + e.index() + "]";
            same(where, "transactionId", e.payload().path("transactionId").asText(null),
                    req.path("transactionId").asText(null), problems);
            same(where, "specVersion", e.specVersion(), req.path("specVersion").asText(null), problems);
            same(where, "purpose", e.payload().path("purpose").asText(null), req.path("purpose").asText(null), problems);
            same(where, "env", e.payload().path("env").asText(null), req.path("env").asText(null), problems);
            same(where, "bioType", e.payload().path("bioType").asText(null),
                    req.path("bio").path(0).path("type").asText(null), problems);
        }
        return Finding.of(name(), problems, "transactionId, specVersion, purpose, env and bioType echoed in "
                + elements.size() + " elements");
    }

    private static void same(String where, String field, String actual, String expected, List<String> problems) {
        if (expected != null && !expected.equals(actual)) {
            problems.add(where + " " + field + " is '" + (actual == null ? "missing" : SchemaCheck.abbreviate(actual))
                    + "', request sent '" + SchemaCheck.abbreviate(expected) + "' (wrong transactionId/echo)");
        }
    }
}
