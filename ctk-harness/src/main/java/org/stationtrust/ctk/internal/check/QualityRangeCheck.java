package org.stationtrust.ctk.internal.check;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** qualityScore is a number 0-100 and requestedScore echoes the request. */
public final class QualityRangeCheck implements Check {

    @Override
    public String name() {
        return "quality-range";
    }

    @Override
    public Finding judge(Observation o, JudgingRules rules) {
        List<Observation.CaptureElement> elements = o.successfulElements();
        if (elements.isEmpty()) {
            return Finding.notEvaluated(name(), "no successful capture element");
        }
        List<String> problems = new ArrayList<>();
        for (Observation.CaptureElement e : elements) {
            String where = "biometrics[" + e.index() + "]";
            Optional<Double> q = AnswerFields.number(e.payload(), "qualityScore");
            if (q.isEmpty() || q.get() < 0 || q.get() > 100) {
                problems.add(where + ".qualityScore " + (q.isEmpty() ? "is not a number" : q.get() + " is outside 0-100"));
            }
            if (e.request() < o.sent.size()) {
                Optional<Double> asked = AnswerFields.number(o.sent.get(e.request()).body().path("bio").path(0), "requestedScore");
                Optional<Double> echoed = AnswerFields.number(e.payload(), "requestedScore");
                if (asked.isPresent() && (echoed.isEmpty() || Math.abs(echoed.get() - asked.get()) > 1e-9)) {
                    problems.add(where + ".requestedScore " + echoed.map(String::valueOf).orElse("missing")
                            + " does not echo the requested " + asked.get());
                }
            }
        }
        return Finding.of(name(), problems, "quality scores are numbers in 0-100");
    }
}
