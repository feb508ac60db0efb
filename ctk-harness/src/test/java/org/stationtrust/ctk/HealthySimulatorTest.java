package org.stationtrust.ctk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.stationtrust.ctk.internal.testing.SimulatorFixture;
import org.stationtrust.sbi.simulator.DeviceKind;
import org.stationtrust.sbi.simulator.FaultMode;
import org.stationtrust.sbi.simulator.SimulatedDevice;

/** Against a well-behaved simulator, every non-interactive case that applies to the device passes. */
class HealthySimulatorTest {

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"FINGER_SLAP, Registration", "IRIS_DOUBLE, Registration", "FACE, Registration", "FACE, Auth",
            "FINGER_SLAP, Auth"})
    void everyApplicableAutomaticCasePasses(DeviceKind kind, String purpose) throws Exception {
        try (SimulatedDevice device = SimulatorFixture.start(kind, purpose, FaultMode.NONE)) {
            RunReport report = SimulatorFixture.runAutomatic(device);
            List<CaseResult> failed = report.results().stream()
                    .filter(r -> r.outcome() == CaseResult.Outcome.FAILED).toList();
            assertEquals(List.of(), failed.stream().map(r -> r.id() + ": " + r.reason()).toList());
            long passed = report.count(CaseResult.Outcome.PASSED);
            assertTrue(passed >= 8, kind + " " + purpose + " ran only " + passed + " cases");
            assertTrue(report.results().stream().filter(r -> r.outcome() == CaseResult.Outcome.SKIPPED)
                    .allMatch(r -> r.reason().startsWith("skipped: not applicable")), "only inapplicable cases are skipped");
            assertEquals(0, report.exitCode());
            System.out.println(kind + " " + purpose + ": " + passed + " passed, timing " + report.timing()
                    + ", categories " + report.results().stream().filter(r -> r.outcome() == CaseResult.Outcome.PASSED)
                    .collect(Collectors.groupingBy(CaseResult::category, Collectors.counting())));
        }
    }
}
