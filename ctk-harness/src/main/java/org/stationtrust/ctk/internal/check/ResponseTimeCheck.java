package org.stationtrust.ctk.internal.check;

import java.util.ArrayList;
import java.util.List;

/**
 * Every exchange answered, and no later than its limit: a capture's own timeout plus the grace
 * period, or the response limit for discovery and info. Answering early is never a failure (a fast
 * person in a timeout-with-input case passes).
 */
public final class ResponseTimeCheck implements Check {

    @Override
    public String name() {
        return "response-time";
    }

    @Override
    public Finding judge(Observation o, JudgingRules rules) {
        List<String> problems = new ArrayList<>();
        int judged = 0;
        List<String> timings = new ArrayList<>();
        for (Observation.Timed t : o.timed) {
            if (t.limit() == null) {
                continue;
            }
            judged++;
            double ms = t.exchange().elapsedMillis();
            long limit = t.limit().toMillis();
            timings.add(String.format(java.util.Locale.ROOT, "%s %.1f of %d ms", t.exchange().verb(), ms, limit));
            if (!t.exchange().answered()) {
                problems.add(t.exchange().verb() + " got no answer: " + t.exchange().transportError()
                        + " (limit " + limit + " ms; device hangs or is too slow)");
            } else if (ms > limit) {
                problems.add(String.format("%s answered in %.0f ms, over the %d ms limit (too slow)",
                        t.exchange().verb(), ms, limit));
            }
        }
        if (judged == 0) {
            return Finding.notEvaluated(name(), "no timed exchange");
        }
        // Each limit is named (a capture's is its request timeout + grace, others the response limit) so the
        // verdict can be redone from the report's elapsedMs.
        return Finding.of(name(), problems, judged + " answers within their limits: " + String.join(", ", timings));
    }
}
