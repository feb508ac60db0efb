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
        double slowest = 0;
        for (Observation.Timed t : o.timed) {
            if (t.limit() == null) {
                continue;
            }
            judged++;
            double ms = t.exchange().elapsedMillis();
            slowest = Math.max(slowest, ms);
            long limit = t.limit().toMillis();
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
        return Finding.of(name(), problems, String.format("%d answers within their limits (slowest %.0f ms)", judged, slowest));
    }
}
