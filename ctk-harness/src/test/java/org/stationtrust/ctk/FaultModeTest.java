package org.stationtrust.ctk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.stationtrust.ctk.testing.SimulatorFixture;
import org.stationtrust.sbi.simulator.DeviceKind;
import org.stationtrust.sbi.simulator.FaultMode;
import org.stationtrust.sbi.simulator.SimulatedDevice;

/**
 * One row per simulator fault mode: the cases whose catching checks judged something on a healthy
 * device must fail with a reason naming the fault; every other case must still pass.
 * IGNORES_TIMEOUT is caught only by the timeout cases, which need a person (FalseVerdictsTest runs them
 * with a scripted one); TRAILING_BYTES_AFTER_STREAM is tolerated, not a fault (FalseVerdictsTest too). The fault is
 * switched on once the harness has identified the device, so that each case meets it. Rows run side by side, each
 * against its own simulator (src/test/resources/junit-platform.properties).
 */
@Execution(ExecutionMode.CONCURRENT)
class FaultModeTest {
    private static final List<TestCase> CASES = SimulatorFixture.automaticCases();
    /** Per healthy case: the checks that passed (judged something). */
    private static final Map<String, Set<String>> BASELINE = new HashMap<>();
    /** Faults that make every exchange wait for its time limit run on a few cases only (test time). */
    private static final List<String> SLOW_SUBSET = List.of("DISC-OWN-TYPE", "INFO-SIGNED", "ROBUST-EMPTY-BODY");

    @BeforeAll
    static void runHealthyBaseline() throws Exception {
        try (SimulatedDevice device = SimulatorFixture.start(DeviceKind.FINGER_SLAP, "Registration", FaultMode.NONE)) {
            for (CaseResult r : SimulatorFixture.runAutomatic(device).results()) {
                if (r.outcome() == CaseResult.Outcome.PASSED) {
                    BASELINE.put(r.id(), Set.copyOf(r.checks().stream().filter(c -> c.status().equals("PASS"))
                            .map(CaseResult.CheckResult::check).toList()));
                }
            }
        }
        assertTrue(BASELINE.size() > 40, "healthy baseline ran " + BASELINE.size() + " cases");
    }

    static Stream<Arguments> faults() {
        // the rows that wait out time limits first, so that the quick ones run beside them
        return Stream.of(
                Arguments.of(FaultMode.NEVER_ANSWERS, Set.of("response-time", "liveness"), "no answer|hangs"),
                Arguments.of(FaultMode.SLOW_DRIP, Set.of("response-time", "liveness"), "no complete answer|too slow|hangs"),
                Arguments.of(FaultMode.BUSY, Set.of("bio-subtype", "stream-ends"), "111 = device busy"),
                Arguments.of(FaultMode.BAD_SIGNATURE, Set.of("signature"), "bad signature"),
                Arguments.of(FaultMode.ALG_NONE, Set.of("signature"), "unsigned \\(alg 'none'"),
                Arguments.of(FaultMode.MISSING_X5C, Set.of("signature", "trust"), "no x5c"),
                Arguments.of(FaultMode.EXPIRED_CERTIFICATE, Set.of("trust"), "CERTIFICATE_EXPIRED"),
                Arguments.of(FaultMode.UNTRUSTED_CA, Set.of("trust"), "CERTIFICATE_UNTRUSTED"),
                Arguments.of(FaultMode.FOREIGN_DIGITAL_ID, Set.of("digital-id"), "foreign digitalId"),
                Arguments.of(FaultMode.STALE_TIMESTAMP, Set.of("timestamp"), "stale timestamp"),
                Arguments.of(FaultMode.FUTURE_TIMESTAMP, Set.of("timestamp"), "future timestamp"),
                Arguments.of(FaultMode.FRACTIONAL_TIMESTAMP, Set.of("timestamp"), "is not written yyyy-MM-ddTHH:mm:ssZ"),
                Arguments.of(FaultMode.BROKEN_HASH_CHAIN, Set.of("hash-chain"), "broken hash chain"),
                Arguments.of(FaultMode.WRONG_TRANSACTION_ID, Set.of("echo"), "wrong transactionId"),
                Arguments.of(FaultMode.WRONG_BIO_SUBTYPE, Set.of("bio-subtype"), "wrong bioSubType"),
                Arguments.of(FaultMode.DUPLICATE_BIO_SUBTYPE, Set.of("bio-subtype"), "duplicate bioSubType|wrong count"),
                Arguments.of(FaultMode.WRONG_COUNT, Set.of("bio-subtype"), "wrong count"),
                Arguments.of(FaultMode.LOW_QUALITY, Set.of("quality-threshold"), "low quality"),
                Arguments.of(FaultMode.MALFORMED_JSON, Set.of("schema", "robust-answer", "liveness"), "malformed JSON"),
                Arguments.of(FaultMode.OVERSIZED_BODY, Set.of("schema", "robust-answer", "liveness"), "oversized body"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("faults")
    void casesThatMustCatchTheFaultFailNamingItAndTheOthersPass(FaultMode fault, Set<String> catching, String named)
            throws Exception {
        List<TestCase> cases = switch (fault) {
            case NEVER_ANSWERS -> CASES.stream().filter(c -> SLOW_SUBSET.contains(c.id())).toList();
            case SLOW_DRIP -> CASES.stream().filter(c -> SLOW_SUBSET.subList(0, 2).contains(c.id())).toList();
            default -> CASES;
        };
        RunReport report;
        try (SimulatedDevice device = SimulatorFixture.start(DeviceKind.FINGER_SLAP, "Registration", FaultMode.NONE)) {
            report = SimulatorFixture.harness(device).listener(switchOn(device, fault)).build().run(cases);
        }
        Pattern reason = Pattern.compile(named);
        List<String> wrong = new ArrayList<>();
        int caught = 0;
        for (CaseResult r : report.results()) {
            if (r.outcome() == CaseResult.Outcome.SKIPPED) {
                continue;
            }
            // FOREIGN_DIGITAL_ID forges the signed digitalIds (info, captures), not discovery's own unsigned one.
            boolean exempt = fault == FaultMode.FOREIGN_DIGITAL_ID && r.category().equals("discovery");
            boolean mustCatch = !exempt && (BASELINE.getOrDefault(r.id(), Set.of()).stream().anyMatch(catching::contains)
                    || (fault == FaultMode.BUSY && r.reason().contains("111") && isSuccessCapture(r.id())));
            if (mustCatch) {
                caught++;
                if (r.outcome() != CaseResult.Outcome.FAILED || !reason.matcher(r.reason()).find()) {
                    wrong.add(r.id() + " should fail naming /" + named + "/ but " + r.outcome() + ": " + r.reason());
                }
            } else if (r.outcome() != CaseResult.Outcome.PASSED) {
                wrong.add(r.id() + " should still pass but failed: " + r.reason());
            }
        }
        assertEquals(List.of(), wrong);
        assertTrue(caught > 0, "no case catches " + fault);
        assertEquals(1, report.exitCode());
    }

    /** BUSY answers 111 to every capture: success captures must fail with it, error cases keep their codes. */
    private static boolean isSuccessCapture(String id) {
        TestCase c = SimulatorFixture.CATALOGUE.byId(id);
        return c.expect().success() && (c.methods().contains("RCAPTURE") || c.methods().contains("CAPTURE"));
    }

    @Test
    void aDeviceWhoseDiscoveryIsBrokenFailsEveryCaseSayingWhy() throws Exception {
        try (SimulatedDevice device = SimulatorFixture.start(DeviceKind.FACE, "Registration", FaultMode.MALFORMED_JSON)) {
            RunReport report = SimulatorFixture.harness(device).build().run(CASES.subList(0, 5));
            assertEquals(5, report.count(CaseResult.Outcome.FAILED));
            assertTrue(report.results().stream().allMatch(r -> r.reason().contains("malformed JSON")),
                    report.results().get(0).reason());
        }
    }

    @Test
    void aCaseThatOverrunsItsTimeoutFailsAndDoesNotHoldUpTheNextOne() throws Exception {
        try (SimulatedDevice device = SimulatorFixture.start(DeviceKind.FINGER_SLAP, "Registration", FaultMode.NONE)) {
            Harness harness = SimulatorFixture.harness(device).caseTimeout(java.time.Duration.ofSeconds(1))
                    .listener(new Harness.Listener() {
                        @Override
                        public void started(int total) {
                            device.setFault(FaultMode.NEVER_ANSWERS);
                        }

                        @Override
                        public void caseStarted(int index, int total, TestCase testCase) {
                            if (index == 2) {
                                device.setFault(FaultMode.NONE);
                            }
                        }

                        @Override
                        public void caseFinished(int index, int total, CaseResult result) {
                        }
                    }).build();
            RunReport report = harness.run(List.of(SimulatorFixture.CATALOGUE.byId("REG-LEFT-SLAP"),
                    SimulatorFixture.CATALOGUE.byId("INFO-SIGNED")));
            CaseResult stuck = report.results().get(0);
            assertEquals(CaseResult.Outcome.FAILED, stuck.outcome());
            assertTrue(stuck.reason().contains("did not finish within its 1000 ms timeout"), stuck.reason());
            assertEquals(CaseResult.Outcome.PASSED, report.results().get(1).outcome(), report.results().get(1).reason());
        }
    }

    private static Harness.Listener switchOn(SimulatedDevice device, FaultMode fault) {
        return new Harness.Listener() {
            @Override
            public void started(int total) {
                device.setFault(fault);
            }

            @Override
            public void caseStarted(int index, int total, TestCase testCase) {
            }

            @Override
            public void caseFinished(int index, int total, CaseResult result) {
            }
        };
    }
}
