package org.stationtrust.ctk.internal.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.stationtrust.ctk.CaseResult;
import org.stationtrust.ctk.RunReport;

/**
 * The machine-readable report; its shape is fixed by report/ctk-report.schema.json. A field added,
 * removed or changed in meaning bumps {@link #SCHEMA_VERSION} and the schema with it (ctk-harness/README.md, Reports).
 */
public final class JsonReport {
    public static final String SCHEMA_VERSION = "3";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonReport() {
    }

    public static ObjectNode tree(RunReport r) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("schemaVersion", SCHEMA_VERSION);
        root.put("tool", r.tool());
        root.put("catalogueSpecVersion", r.catalogueSpecVersion());
        root.put("startedAt", r.startedAt().toString());
        root.put("finishedAt", r.finishedAt().toString());
        root.put("complete", r.complete());
        root.put("exitCode", r.exitCode());
        root.put("profile", r.lab().settings().profile().wire());
        root.put("toolVersion", r.lab().toolVersion());
        root.put("toolBuild", r.lab().toolBuild());
        ObjectNode catalogue = root.putObject("catalogue");
        catalogue.put("version", r.lab().catalogueVersion());
        catalogue.put("sha256", r.lab().catalogueSha256());
        catalogue.put("specVersion", r.catalogueSpecVersion());
        settings(root.putObject("settings"), r.lab().settings());
        ObjectNode lab = root.putObject("lab");
        lab.put("lab", r.lab().settings().lab());
        lab.put("operator", r.lab().settings().operator());
        ArrayNode certs = root.putArray("certificates");
        java.util.stream.Stream.of(r.lab().deviceCertificates(), r.lab().settings().vendorCas(), r.lab().settings().ftmCas())
                .flatMap(java.util.List::stream).forEach(c -> certificate(certs.addObject(), c));
        ObjectNode assessment = root.putObject("assessment");
        assessment.put("assessed", org.stationtrust.ctk.LabContext.ASSESSED);
        assessment.put("notAssessed", org.stationtrust.ctk.LabContext.NOT_ASSESSED);
        ArrayNode person = root.putArray("needsPerson");
        for (CaseResult c : r.needingPerson()) {
            ObjectNode n = person.addObject();
            n.put("id", c.id());
            n.put("name", c.name());
            ArrayNode ids = n.putArray("mosipIds");
            c.mosipIds().forEach(ids::add);
        }
        ObjectNode device = root.putObject("device");
        r.device().forEach(device::put);
        ObjectNode summary = root.putObject("summary");
        summary.put("total", r.results().size());
        summary.put("passed", r.count(CaseResult.Outcome.PASSED));
        summary.put("failed", r.count(CaseResult.Outcome.FAILED));
        summary.put("skipped", r.count(CaseResult.Outcome.SKIPPED));
        ObjectNode timing = root.putObject("timing");
        timing.put("wallMs", r.timing().wallMs());
        timing.put("deviceMs", r.timing().deviceMs());
        timing.put("operatorMs", r.timing().operatorMs());
        timing.put("harnessMs", r.timing().harnessMs());
        timing.put("harnessPercent", r.timing().harnessPercent());
        ObjectNode latency = root.putObject("latency");
        r.latency().forEach((verb, l) -> {
            ObjectNode v = latency.putObject(verb);
            v.put("count", l.count());
            v.put("p50", l.p50());
            v.put("p90", l.p90());
            v.put("p99", l.p99());
            v.put("max", l.max());
        });
        ArrayNode results = root.putArray("results");
        for (CaseResult c : r.results()) {
            ObjectNode n = results.addObject();
            n.put("id", c.id());
            n.put("name", c.name());
            n.put("category", c.category());
            n.put("purpose", c.purpose());
            ArrayNode ids = n.putArray("mosipIds");
            c.mosipIds().forEach(ids::add);
            n.put("outcome", c.outcome().name());
            n.put("ourAddition", c.ourAddition());
            n.put("reason", c.reason());
            n.put("expected", c.expected());
            n.put("actual", c.actual());
            n.put("durationMs", Math.round(c.durationMs() * 10) / 10.0);
            ArrayNode checks = n.putArray("checks");
            for (CaseResult.CheckResult k : c.checks()) {
                ObjectNode cn = checks.addObject();
                cn.put("check", k.check());
                cn.put("status", k.status());
                cn.put("message", k.message());
            }
            ArrayNode exchanges = n.putArray("exchanges");
            for (CaseResult.ExchangeRecord e : c.exchanges()) {
                ObjectNode en = exchanges.addObject();
                en.put("verb", e.verb());
                en.put("path", e.path());
                en.put("status", e.status());
                en.put("elapsedMs", e.elapsedMs());
                en.put("sentAt", e.sentAt());
                if (e.headersReceivedAt() == null) {
                    en.putNull("headersReceivedAt");
                } else {
                    en.put("headersReceivedAt", e.headersReceivedAt());
                }
                en.put("endedAt", e.endedAt());
                en.put("request", e.request());
                en.put("response", e.response());
                if (e.transportError() == null) {
                    en.putNull("transportError");
                } else {
                    en.put("transportError", e.transportError());
                }
            }
        }
        return root;
    }

    private static void settings(ObjectNode n, org.stationtrust.ctk.RunSettings s) {
        n.put("profile", s.profile().wire());
        n.put("port", s.port());
        n.put("deviceId", s.deviceId() == null ? "" : s.deviceId());
        n.put("deviceType", s.deviceType() == null ? "" : s.deviceType());
        ArrayNode algs = n.putArray("allowedAlgorithms");
        s.algorithms().forEach(algs::add);
        n.put("skewSeconds", s.skew().toSeconds());
        n.put("graceMs", s.grace().toMillis());
        n.put("responseLimitMs", s.responseLimit().toMillis());
        n.put("caseTimeoutSeconds", s.caseTimeout().toSeconds());
        n.put("readyWaitSeconds", s.readyWait().toSeconds());
        n.put("env", s.env());
        n.put("interactive", s.interactive());
        n.put("organisation", s.organisation());
    }

    private static void certificate(ObjectNode n, org.stationtrust.ctk.CertificateFacts c) {
        n.put("role", c.role());
        n.put("subject", c.subject());
        n.put("issuer", c.issuer());
        n.put("serial", c.serial());
        n.put("notBefore", String.valueOf(c.notBefore()));
        n.put("notAfter", String.valueOf(c.notAfter()));
        n.put("sha256", c.sha256());
    }

    public static String write(RunReport r) {
        return tree(r).toPrettyString();
    }
}
