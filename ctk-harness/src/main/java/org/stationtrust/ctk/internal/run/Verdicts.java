package org.stationtrust.ctk.internal.run;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.stationtrust.ctk.CaseResult;
import org.stationtrust.ctk.CaseResult.CheckResult;
import org.stationtrust.ctk.CaseResult.ExchangeRecord;
import org.stationtrust.ctk.CaseResult.Outcome;
import org.stationtrust.ctk.TestCase;
import org.stationtrust.ctk.internal.check.Checks;
import org.stationtrust.ctk.internal.check.Finding;
import org.stationtrust.ctk.internal.check.AnswerFields;
import org.stationtrust.ctk.internal.check.JudgingRules;
import org.stationtrust.ctk.internal.check.Observation;
import org.stationtrust.ctk.internal.device.Exchange;
import org.stationtrust.ctk.internal.device.ExchangeTimes;
import org.stationtrust.ctk.internal.report.ReportBodies;

/** Applies a case's checks to its observation and turns the findings into a {@link CaseResult}. */
public final class Verdicts {
    private Verdicts() {
    }

    public static CaseResult judge(Observation o, JudgingRules rules, double durationMs) {
        TestCase c = o.testCase();
        List<Finding> findings = new ArrayList<>();
        for (String name : c.validators()) {
            try {
                findings.add(Checks.named(name).judge(o, rules));
            } catch (RuntimeException e) {
                findings.add(Finding.fail(name, "check crashed on this answer: " + e));
            }
        }
        List<Finding> failed = findings.stream().filter(Finding::failed).toList();
        boolean anyPass = findings.stream().anyMatch(f -> f.status() == Finding.Status.PASS
                || f.status() == Finding.Status.WARN);
        Outcome outcome = failed.isEmpty() && anyPass ? Outcome.PASSED : Outcome.FAILED;
        String warnings = findings.stream().filter(f -> f.status() == Finding.Status.WARN)
                .map(f -> "warning: " + f.check() + ": " + f.message()).collect(Collectors.joining(" | "));
        String reason = !failed.isEmpty()
                ? failed.stream().map(f -> f.check() + ": " + f.message()).collect(Collectors.joining(" | "))
                : anyPass ? warnings : "nothing could be judged: " + findings.stream().map(Finding::message)
                        .collect(Collectors.joining("; "));
        if (outcome == Outcome.FAILED && o.statusBefore != null) {
            // The device was not Ready when the case began (bounded wait): say so before the symptoms.
            reason = "the device was " + o.statusBefore + " before the case started | " + reason;
        }
        return new CaseResult(c.id(), c.name(), c.category(), c.purpose(), c.mosipIds(), outcome, reason,
                expected(c), actual(o), findings.stream().map(f -> new CheckResult(f.check(), f.status().name(),
                f.message())).toList(), exchanges(o), durationMs);
    }

    public static CaseResult crashed(TestCase c, Observation partial, String why, double durationMs) {
        return new CaseResult(c.id(), c.name(), c.category(), c.purpose(), c.mosipIds(), Outcome.FAILED, why,
                expected(c), partial == null ? "" : actual(partial), List.of(),
                partial == null ? List.of() : exchanges(partial), durationMs);
    }

    static String expected(TestCase c) {
        StringBuilder b = new StringBuilder("errorCode ").append(c.expect().errorCode() == null ? "0" : c.expect().errorCode());
        if (c.expect().deviceStatus() != null) {
            b.append(", deviceStatus ").append(c.expect().deviceStatus());
        }
        if (c.expect().mustAnswerWithinTimeout()) {
            b.append(", answer within timeout ").append(c.request().timeoutOr(CaptureRequests.DEFAULT_TIMEOUT_MS))
                    .append(" ms + grace");
        }
        return b.append("; checks ").append(String.join(", ", c.validators())).toString();
    }

    static String actual(Observation o) {
        StringBuilder b = new StringBuilder();
        b.append("errorCodes ").append(o.errorCodes.stream().distinct().toList());
        List<String> statuses = o.infos.stream().filter(i -> i.payload() != null)
                .map(i -> i.payload().path("deviceStatus").asText("?")).distinct().toList();
        if (!statuses.isEmpty()) {
            b.append(", deviceStatus ").append(statuses);
        }
        if (!o.elements.isEmpty()) {
            b.append(", ").append(o.elements.size()).append(" capture elements");
            List<Double> scores = o.successfulElements().stream()
                    .map(e -> AnswerFields.number(e.payload(), "qualityScore").orElse(Double.NaN))
                    .filter(d -> !d.isNaN()).sorted().toList();
            if (!scores.isEmpty() && (c(o).equals("quality-assessment") || c(o).equals("quality-check"))) {
                b.append(String.format(java.util.Locale.ROOT, ", qualityScore min %.0f median %.0f max %.0f over %d",
                        scores.get(0), scores.get(scores.size() / 2), scores.get(scores.size() - 1), scores.size()));
            }
        }
        if (o.stream != null) {
            b.append(String.format(", stream %d frames %.1f fps", o.stream.frames(), o.stream.framesPerSecond()));
        }
        if (o.probeOutcome != null) {
            b.append(", probe: ").append(o.probeOutcome);
        }
        o.exchanges.stream().filter(e -> !e.answered()).findFirst()
                .ifPresent(e -> b.append(", ").append(e.verb()).append(" not answered: ").append(e.transportError()));
        return b.toString();
    }

    private static String c(Observation o) {
        return o.testCase().category();
    }

    static List<ExchangeRecord> exchanges(Observation o) {
        List<ExchangeRecord> out = new ArrayList<>();
        for (Exchange e : o.exchanges) {
            ExchangeTimes t = e.times();
            out.add(new ExchangeRecord(e.verb(), e.path(), e.status(), Math.round(e.elapsedMillis() * 10) / 10.0,
                    ExchangeTimes.utcMillis(t.sent()),
                    t.headersReceived() == null ? null : ExchangeTimes.utcMillis(t.headersReceived()),
                    ExchangeTimes.utcMillis(t.ended()), ReportBodies.body(e.requestBody()), ReportBodies.body(e.responseBody()), e.transportError()));
        }
        return out;
    }
}
