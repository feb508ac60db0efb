package org.stationtrust.ctk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.stationtrust.ctk.testing.SimulatorFixture;
import org.stationtrust.sbi.simulator.DeviceKind;
import org.stationtrust.sbi.simulator.DeviceStatus;
import org.stationtrust.sbi.simulator.FaultMode;
import org.stationtrust.sbi.simulator.SimulatedDevice;

/**
 * "Needs operator" cases, with a scripted operator doing to the simulator what a person does to a
 * real device: make it busy, disconnect it, unregister it, keep the sensor empty, rotate the key.
 */
class OperatorCasesTest {

    /** Does what each case's human steps ask, through the simulator's controls. */
    static final class ScriptedOperator implements Operator {
        private final SimulatedDevice device;
        private final boolean rotates;
        final List<String> steps = new ArrayList<>();

        ScriptedOperator(SimulatedDevice device, boolean rotates) {
            this.device = device;
            this.rotates = rotates;
        }

        @Override
        public boolean prepare(TestCase c) {
            switch (c.id()) {
                case "STATUS-BUSY" -> device.setStatus(DeviceStatus.BUSY);
                case "STATUS-NOT-READY" -> device.setStatus(DeviceStatus.NOT_READY);
                case "STATUS-NOT-REGISTERED" -> device.setStatus(DeviceStatus.NOT_REGISTERED);
                default -> {
                    if (c.category().equals("timeout-without-input")) {
                        device.setBiometricPresented(false);
                    }
                }
            }
            return true;
        }

        @Override
        public boolean midway(TestCase c, String step, int round) {
            steps.add(c.id() + " " + round);
            if (c.category().equals("key-rotation") && rotates) {
                device.rotateKey();
            }
            return true;
        }

        @Override
        public void restore(TestCase c) {
            device.setStatus(DeviceStatus.READY);
            device.setBiometricPresented(true);
        }
    }

    private static List<TestCase> operatorCases() {
        return SimulatorFixture.CATALOGUE.select(TestCase::needsOperator);
    }

    @Test
    void everyOperatorCaseForTheSlapPassesWhenThePersonDoesWhatItSays() throws Exception {
        try (SimulatedDevice device = SimulatorFixture.start(DeviceKind.FINGER_SLAP, "Registration", FaultMode.NONE)) {
            ScriptedOperator operator = new ScriptedOperator(device, true);
            RunReport report = SimulatorFixture.harness(device).operator(operator, true).build().run(operatorCases());
            List<String> failed = report.results().stream().filter(r -> r.outcome() == CaseResult.Outcome.FAILED)
                    .map(r -> r.id() + ": " + r.reason()).toList();
            assertEquals(List.of(), failed);
            List<String> ran = report.results().stream().filter(r -> r.outcome() == CaseResult.Outcome.PASSED)
                    .map(CaseResult::id).toList();
            assertTrue(ran.containsAll(List.of("STATUS-BUSY", "STATUS-NOT-READY", "STATUS-NOT-REGISTERED",
                    "KEYROT-REG-LEFT-SLAP", "REG-LEFT-SLAP-TIMEOUT-NO-INPUT", "QA-REG-LEFT-SLAP-1112")), ran.toString());
            assertTrue(operator.steps.contains("QA-REG-LEFT-SLAP-1112 10"), "ten people were captured");
            CaseResult qa = report.results().stream().filter(r -> r.id().equals("QA-REG-LEFT-SLAP-1112")).findFirst().orElseThrow();
            assertTrue(qa.actual().contains("qualityScore min 80 median 80 max 80 over 40"), qa.actual());
            String html = Reports.html(report);
            String cohorts = html.substring(html.indexOf("id=\"cohorts\""), html.indexOf("</table>", html.indexOf("id=\"cohorts\"")));
            assertTrue(cohorts.contains("QA-REG-LEFT-SLAP-1112") && cohorts.contains("SBI1112")
                    && cohorts.contains("qualityScore min 80 median 80 max 80 over 40"), cohorts);
        }
    }

    @Test
    void keyRotationFailsWhenTheKeyWasNotReallyRotated() throws Exception {
        try (SimulatedDevice device = SimulatorFixture.start(DeviceKind.FACE, "Registration", FaultMode.NONE)) {
            RunReport report = SimulatorFixture.harness(device).operator(new ScriptedOperator(device, false), true).build()
                    .run(List.of(SimulatorFixture.CATALOGUE.byId("KEYROT-REG-FACE")));
            CaseResult r = report.results().get(0);
            assertEquals(CaseResult.Outcome.FAILED, r.outcome());
            assertTrue(r.reason().contains("did not change"), r.reason());
        }
    }

    @Test
    void aNonInteractiveRunSkipsThemSayingSo() throws Exception {
        try (SimulatedDevice device = SimulatorFixture.start(DeviceKind.IRIS_DOUBLE, "Registration", FaultMode.NONE)) {
            RunReport report = SimulatorFixture.harness(device).build().run(operatorCases());
            assertTrue(report.results().stream().filter(r -> r.outcome() == CaseResult.Outcome.SKIPPED)
                    .anyMatch(r -> r.reason().equals("skipped: needs operator")));
            assertEquals(0, report.count(CaseResult.Outcome.PASSED) + report.count(CaseResult.Outcome.FAILED));
        }
    }

    @Test
    void aSnapshotDuringTheRunIsAPartialReport() throws Exception {
        try (SimulatedDevice device = SimulatorFixture.start(DeviceKind.FACE, "Registration", FaultMode.NONE)) {
            Harness[] harness = new Harness[1];
            RunReport[] partial = new RunReport[1];
            harness[0] = SimulatorFixture.harness(device).listener(new Harness.Listener() {
                @Override
                public void started(int total) {
                }

                @Override
                public void caseStarted(int index, int total, TestCase testCase) {
                }

                @Override
                public void caseFinished(int index, int total, CaseResult result) {
                    if (index == 3) {
                        partial[0] = harness[0].snapshot();
                    }
                }
            }).build();
            RunReport whole = harness[0].run(SimulatorFixture.automaticCases().subList(0, 8));
            assertEquals(3, partial[0].results().size());
            assertEquals(false, partial[0].complete());
            assertEquals(3, partial[0].exitCode(), "an interrupted run exits with 3");
            assertEquals(8, whole.results().size());
        }
    }
}
