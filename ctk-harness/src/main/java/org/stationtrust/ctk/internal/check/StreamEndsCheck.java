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
        return o.stream.endedAfterCapture()
                ? Finding.pass(name(), "the stream ended after the capture answered")
                : Finding.fail(name(), "the stream kept running after the capture answered (it must end with the capture)");
    }
}
