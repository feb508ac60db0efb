package org.stationtrust.ctk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.stationtrust.ctk.testing.SimulatorFixture;
import org.stationtrust.sbi.simulator.DeviceKind;
import org.stationtrust.sbi.simulator.FaultMode;
import org.stationtrust.sbi.simulator.SimulatedDevice;

/**
 * Against a simulator configured MOSIP-strict, every non-interactive case of the whole catalogue that
 * applies to the device passes, in both profiles.
 */
class HealthySimulatorTest {

    @ParameterizedTest(name = "{0} {1} {2}")
    @CsvSource({"FINGER_SLAP, Registration, SPEC", "IRIS_DOUBLE, Registration, SPEC", "FACE, Registration, SPEC",
            "FACE, Auth, SPEC", "FINGER_SLAP, Auth, SPEC",
            "FINGER_SLAP, Registration, MOSIP", "IRIS_DOUBLE, Registration, MOSIP", "FACE, Registration, MOSIP",
            "FACE, Auth, MOSIP"})
    void everyApplicableAutomaticCasePasses(DeviceKind kind, String purpose, Profile profile) throws Exception {
        try (SimulatedDevice device = SimulatorFixture.start(kind, purpose, FaultMode.NONE)) {
            RunReport report = SimulatorFixture.harness(device).profile(profile).operator(Operator.automatic(), false)
                    .build().run(SimulatorFixture.CATALOGUE.cases());
            assertEquals(profile, report.lab().settings().profile());
            List<CaseResult> failed = report.results().stream()
                    .filter(r -> r.outcome() == CaseResult.Outcome.FAILED).toList();
            assertEquals(List.of(), failed.stream().map(r -> r.id() + ": " + r.reason()).toList());
            long passed = report.count(CaseResult.Outcome.PASSED);
            assertTrue(passed >= 8, kind + " " + purpose + " ran only " + passed + " cases");
            assertTrue(report.results().stream().filter(r -> r.outcome() == CaseResult.Outcome.SKIPPED)
                    .allMatch(r -> r.reason().startsWith("skipped: not applicable") || r.reason().startsWith("skipped: needs operator")),
                    "only inapplicable and operator cases are skipped");
            assertEquals(0, report.exitCode());
            System.out.println(kind + " " + purpose + ": " + passed + " passed, timing " + report.timing()
                    + ", categories " + report.results().stream().filter(r -> r.outcome() == CaseResult.Outcome.PASSED)
                    .collect(Collectors.groupingBy(CaseResult::category, Collectors.counting())));
        }
    }
}
