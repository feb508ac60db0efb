package org.stationtrust.ctk.internal.check;

import java.util.ArrayList;
import java.util.List;

/** Device info reports the deviceStatus the case expects (Ready, Busy, Not Ready, Not Registered). */
public final class DeviceStatusCheck implements Check {

    @Override
    public String name() {
        return "device-status";
    }

    @Override
    public Finding judge(Observation o, JudgingRules rules) {
        String expected = o.testCase().expect().deviceStatus();
        if (expected == null) {
            return Finding.notEvaluated(name(), "the case expects no particular status");
        }
        if (o.infos.isEmpty()) {
            return Finding.fail(name(), "no device info entry to read deviceStatus from (expected " + expected + ")");
        }
        List<String> seen = new ArrayList<>();
        for (Observation.InfoEntry info : o.infos) {
            seen.add(info.payload() == null ? "unreadable" : info.payload().path("deviceStatus").asText("missing"));
        }
        return seen.stream().allMatch(expected::equals)
                ? Finding.pass(name(), "deviceStatus " + expected)
                : Finding.fail(name(), "expected deviceStatus " + expected + " but info said " + seen);
    }
}
