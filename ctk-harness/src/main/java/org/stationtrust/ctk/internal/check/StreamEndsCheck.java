package org.stationtrust.ctk.internal.check;

/** The preview stream ends once the matching RCAPTURE has answered. */
public final class StreamEndsCheck implements Check {

    @Override
    public String name() {
        return "stream-ends";
    }

    @Override
    public Finding judge(Observation o, JudgingRules rules) {
        if (o.stream == null) {
            return Finding.fail(name(), "no stream was read");
        }
        if (o.stream.endedAfterCapture()) {
            return Finding.pass(name(), "the stream ended after the capture answered");
        }
        java.util.List<String> errors = o.errorCodes.stream().filter(c -> !"0".equals(c)).distinct().toList();
        return Finding.fail(name(), errors.isEmpty()
                ? "the stream kept running after the capture answered (it must end with the capture)"
                : "the stream kept running: the capture did not complete, it answered " + errors
                        + ErrorCodeCheck.describe(errors));
    }
}
