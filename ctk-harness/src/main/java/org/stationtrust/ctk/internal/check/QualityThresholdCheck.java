package org.stationtrust.ctk.internal.check;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** qualityScore reaches the requestedScore of its request. */
public final class QualityThresholdCheck implements Check {

    @Override
    public String name() {
        return "quality-threshold";
    }

    @Override
    public Finding judge(Observation o, JudgingRules rules) {
        List<Observation.CaptureElement> elements = o.successfulElements();
        if (elements.isEmpty()) {
            return Finding.notEvaluated(name(), "no successful capture element");
        }
        List<String> problems = new ArrayList<>();
        double lowest = 100;
        for (Observation.CaptureElement e : elements) {
            Optional<Double> q = AnswerFields.number(e.payload(), "qualityScore");
            Optional<Double> asked = e.request() < o.sent.size()
                    ? AnswerFields.number(o.sent.get(e.request()).body().path("bio").path(0), "requestedScore")
                    : Optional.empty();
            if (q.isEmpty() || asked.isEmpty()) {
                problems.add("biometrics[" + e.index() + "] has no comparable qualityScore/requestedScore");
                continue;
            }
            lowest = Math.min(lowest, q.get());
            if (q.get() < asked.get()) {
                problems.add("biometrics[" + e.index() + "] qualityScore " + q.get() + " is below the requested "
                        + asked.get() + " (low quality)");
            }
        }
        return Finding.of(name(), problems, "every score reaches the requested score (lowest " + lowest + ")");
    }
}
