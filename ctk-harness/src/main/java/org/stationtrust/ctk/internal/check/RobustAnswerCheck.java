package org.stationtrust.ctk.internal.check;

/**
 * A hostile request got a prompt refusal: an HTTP error status, an error element, or the connection
 * closed by the device. Silence until the timeout, or a success answer, fails.
 */
public final class RobustAnswerCheck implements Check {

    @Override
    public String name() {
        return "robust-answer";
    }

    @Override
    public Finding judge(Observation o, JudgingRules rules) {
        if (o.probeOutcome == null) {
            return Finding.fail(name(), "the probe was not run");
        }
        return o.probeOutcome.startsWith("refused")
                ? Finding.pass(name(), o.probeOutcome)
                : Finding.fail(name(), o.probeOutcome);
    }
}
