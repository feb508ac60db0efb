package org.stationtrust.ctk.internal.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.stationtrust.ctk.CaseResult;
import org.stationtrust.ctk.RunReport;

/** The machine-readable report; its shape is fixed by report/ctk-report.schema.json (schemaVersion 1). */
public final class JsonReport {
    public static final String SCHEMA_VERSION = "1";
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

    public static String write(RunReport r) {
        return tree(r).toPrettyString();
    }
}
