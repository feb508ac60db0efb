package org.stationtrust.ctk.internal.check;

/** After a hostile request, the service still answers MOSIPDINFO (it did not crash or wedge). */
public final class LivenessCheck implements Check {

    @Override
    public String name() {
        return "liveness";
    }

    @Override
    public Finding judge(Observation o, JudgingRules rules) {
        if (o.aliveAfterwards == null) {
            return Finding.fail(name(), "liveness was not probed");
        }
        return o.aliveAfterwards
                ? Finding.pass(name(), "MOSIPDINFO still answers")
                : Finding.fail(name(), "MOSIPDINFO no longer answers properly after the probe"
                        + (o.livenessProblem == null ? " (service crashed or wedged)" : ": " + o.livenessProblem));
    }
}
