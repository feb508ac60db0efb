package org.stationtrust.ctk.internal.check;

import java.util.ArrayList;
import java.util.List;

/**
 * A capture answer may not come before the request's timeout unless the device had a reason to stop:
 * SBI 0.9.5 §Capture has the device try until the requested score or the timeout, then answer its
 * best frame; with nothing presented it answers an error at the timeout. "always" (nothing presented,
 * and every timeout case in the mosip profile, as MOSIP's TimeoutValidator wants elapsed >= timeout):
 * an answer before the timeout fails. "unless-score-met" (spec profile, a person presents): an early
 * answer passes only when every element reached the requested score.
 */
public final class TimeoutFloorCheck implements Check {

    @Override
    public String name() {
        return "timeout-floor";
    }

    @Override
    public Finding judge(Observation o, JudgingRules rules) {
        String rule = o.testCase().expect().notBeforeTimeout();
        if (rule == null) {
            return Finding.notEvaluated(name(), "the case sets no lower bound");
        }
        boolean always = "always".equals(rule) || rules.mosip();
        List<String> problems = new ArrayList<>();
        int judged = 0;
        List<String> timings = new ArrayList<>();
        for (Observation.SentCapture sent : o.sent) {
            if (sent.exchange() == null || !sent.exchange().answered()) {
                continue;
            }
            judged++;
            long timeout = timeoutOf(sent);
            double ms = sent.exchange().elapsedMillis();
            timings.add(String.format(java.util.Locale.ROOT, "%s after %.1f ms, timeout %d ms", sent.exchange().verb(), ms, timeout));
            if (ms >= timeout) {
                continue;
            }
            List<String> below = belowRequested(o, sent.index());
            boolean anyError = o.elements.stream().anyMatch(e -> e.request() == sent.index() && !e.success());
            if (always || anyError || !below.isEmpty()) {
                problems.add(String.format("%s answered after %.0f ms, before its %d ms timeout (answers at once, ignoring the timeout)%s",
                        sent.exchange().verb(), ms, timeout,
                        anyError ? ": an error at once" : below.isEmpty() ? "" : ": scores " + below
                                + " below the requested score, where the spec wants the best frame at the timeout"));
            }
        }
        if (judged == 0) {
            return Finding.notEvaluated(name(), "no answered capture");
        }
        return Finding.of(name(), problems, (always ? "every answer came at or after the timeout"
                : "every early answer reached the requested score; later ones came at the timeout")
                + ": " + String.join(", ", timings));
    }

    private static long timeoutOf(Observation.SentCapture sent) {
        try {
            return Long.parseLong(sent.body().path("timeout").asText("0"));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static List<String> belowRequested(Observation o, int request) {
        List<String> below = new ArrayList<>();
        for (Observation.CaptureElement e : o.successfulElements()) {
            if (e.request() != request || e.payload() == null) {
                continue;
            }
            double q = AnswerFields.number(e.payload(), "qualityScore").orElse(Double.NaN);
            double r = AnswerFields.number(e.payload(), "requestedScore").orElse(Double.NaN);
            if (Double.isNaN(q) || Double.isNaN(r) || q < r) {
                below.add(Double.isNaN(q) ? "?" : String.valueOf((long) q));
            }
        }
        return below;
    }
}
