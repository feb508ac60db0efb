package org.stationtrust.ctk.internal.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.stationtrust.ctk.internal.device.Exchange;
import org.stationtrust.ctk.testing.TestDevice;

/** Error code, response time, device status, stream, robustness and liveness checks. */
class OutcomeChecksTest {
    static TestDevice device;

    @BeforeAll
    static void createDevice() {
        device = TestDevice.create();
    }

    private static Observation of(String caseId) {
        return new Observation(TestDevice.testCase(caseId), device.profile());
    }

    private static Exchange answered(int status, long millis) {
        return new Exchange("RCAPTURE", "/capture", null, status, null, null, false, millis * 1_000_000L, null,
                TestDevice.endedNow(millis * 1_000_000L, status > 0));
    }

    @Test
    void errorCodeAcceptsTheExactExpectedCode() {
        Observation o = of("REG-LEFT-SLAP-COUNT-MISMATCH");
        o.errorCodes.add("109");
        assertEquals(Finding.Status.PASS, new ErrorCodeCheck().judge(o, device.rules()).status());
    }

    @Test
    void errorCodeRejectsSuccessWhereAnErrorIsExpected() {
        Observation o = of("REG-LEFT-SLAP-BAD-TRANSACTION-ID");
        o.errorCodes.add("0");
        Finding f = new ErrorCodeCheck().judge(o, device.rules());
        assertTrue(f.failed());
        assertTrue(f.message().contains("expected an error but the device answered success"), f.message());
    }

    @Test
    void errorCodeNamesBusyWhenASuccessCaseGetsIt() {
        Observation o = device.goodLeftSlap();
        o.errorCodes.clear();
        o.errorCodes.add("111");
        Finding f = new ErrorCodeCheck().judge(o, device.rules());
        assertTrue(f.failed());
        assertTrue(f.message().contains("111 = device busy"), f.message());
    }

    @Test
    void errorCodeCountsAnHttpErrorStatusAsAnError() {
        Observation o = of("REG-LEFT-SLAP-INVALID-REQUEST");
        o.record(answered(400, 3), Duration.ofSeconds(5));
        assertEquals(Finding.Status.PASS, new ErrorCodeCheck().judge(o, device.rules()).status());
    }

    @Test
    void responseTimeAcceptsAnEarlyAnswerInATimeoutCase() {
        // A timeout-with-input case where the person was fast: answering well before the timeout passes.
        Observation o = of("REG-LEFT-SLAP-TIMEOUT-WITH-INPUT");
        o.record(answered(200, 40), Duration.ofMillis(12_000));
        assertEquals(Finding.Status.PASS, new ResponseTimeCheck().judge(o, device.rules()).status());
    }

    @Test
    void responseTimeRejectsAnAnswerAfterTheTimeoutAndGrace() {
        Observation o = of("REG-LEFT-SLAP-TIMEOUT-NO-INPUT");
        o.record(answered(200, 2_900), Duration.ofMillis(2_500));
        Finding f = new ResponseTimeCheck().judge(o, device.rules());
        assertTrue(f.failed());
        assertTrue(f.message().contains("too slow"), f.message());
    }

    @Test
    void responseTimeRejectsSilence() {
        Observation o = of("INFO-SIGNED");
        o.record(new Exchange("MOSIPDINFO", "/info", null, -1, null, null, false, 5_000_000_000L,
                "no complete answer within 5000 ms", TestDevice.endedNow(5_000_000_000L, false)), Duration.ofSeconds(5));
        Finding f = new ResponseTimeCheck().judge(o, device.rules());
        assertTrue(f.failed());
        assertTrue(f.message().contains("hangs"), f.message());
    }

    @Test
    void deviceStatusComparesTheInfoPayload() {
        Observation o = of("STATUS-BUSY");
        var payload = TestDevice.JSON.createObjectNode().put("deviceStatus", "Ready");
        o.infos.add(new Observation.InfoEntry(payload, "x", payload, "0"));
        assertTrue(new DeviceStatusCheck().judge(o, device.rules()).failed());
        payload.put("deviceStatus", "Busy");
        assertEquals(Finding.Status.PASS, new DeviceStatusCheck().judge(o, device.rules()).status());
    }

    @Test
    void streamNeedsCompleteJpegFramesAtThreeFramesPerSecond() {
        Observation o = of("STREAM-FRAMES-FINGER");
        o.stream = new Observation.StreamRecord(200, "multipart/x-mixed-replace; boundary=x", 6, 6, 9.5, false, null);
        assertEquals(Finding.Status.PASS, new StreamCheck().judge(o, device.rules()).status());
        o.stream = new Observation.StreamRecord(200, "multipart/x-mixed-replace; boundary=x", 6, 6, 2.0, false, null);
        assertTrue(new StreamCheck().judge(o, device.rules()).failed());
        o.stream = new Observation.StreamRecord(200, "multipart/x-mixed-replace; boundary=x", 6, 4, 9.5, false, null);
        assertTrue(new StreamCheck().judge(o, device.rules()).failed());
        o.stream = new Observation.StreamRecord(200, "image/jpeg", 6, 6, 9.5, false, null);
        assertTrue(new StreamCheck().judge(o, device.rules()).failed());
        assertTrue(new StreamEndsCheck().judge(o, device.rules()).failed());
    }

    @Test
    void robustnessNeedsARefusalAndASurvivingService() {
        Observation o = of("ROBUST-MALFORMED-JSON");
        o.probeOutcome = "refused: HTTP 400";
        o.aliveAfterwards = true;
        assertEquals(Finding.Status.PASS, new RobustAnswerCheck().judge(o, device.rules()).status());
        assertEquals(Finding.Status.PASS, new LivenessCheck().judge(o, device.rules()).status());
        o.probeOutcome = "no answer within 5000 ms: the device hangs on this request";
        o.aliveAfterwards = false;
        assertTrue(new RobustAnswerCheck().judge(o, device.rules()).failed());
        assertTrue(new LivenessCheck().judge(o, device.rules()).failed());
    }

    /**
     * False red (issue 16): SBI 0.9.5 defines no code for a malformed transaction id and leaves
     * uniqueness to the caller. Any error passes the malformed-id cases (MOSIP too); a device that
     * accepts a reused id gets a warning, and the case still passes.
     */
    @org.junit.jupiter.params.ParameterizedTest(name = "{0} answers {1} -> {2}")
    @org.junit.jupiter.params.provider.CsvSource({
            "REG-LEFT-SLAP-BAD-TRANSACTION-ID, 112, PASS",
            "REG-LEFT-SLAP-BAD-TRANSACTION-ID, 501, PASS",
            "AUTH-FACE-BAD-TRANSACTION-ID, 106, PASS",
            "REG-LEFT-SLAP-BAD-TRANSACTION-ID, 0, FAIL",
            "REG-TRANSACTION-ID-REUSED, 112, PASS",
            "REG-TRANSACTION-ID-REUSED, 0, WARN"})
    void transactionIdCasesAcceptAnyErrorAndOnlyWarnAboutReuse(String caseId, String code, Finding.Status expected) {
        Observation o = of(caseId);
        o.errorCodes.add(code);
        Finding f = new ErrorCodeCheck().judge(o, device.rules());
        assertEquals(expected, f.status(), f.message());
        if (expected == Finding.Status.WARN) {
            var verdict = org.stationtrust.ctk.internal.run.Verdicts.judge(o, device.rules(), 1);
            assertEquals(org.stationtrust.ctk.CaseResult.Outcome.PASSED, verdict.outcome(), verdict.reason());
            assertTrue(verdict.reason().startsWith("warning: error-code: advisory"), verdict.reason());
            assertEquals(1, verdict.warnings().size());
        }
    }

    /** False green (SBI1196): the mosip profile wants an error element where the spec profile also takes an empty list. */
    @org.junit.jupiter.api.Test
    void anUpperCasedDiscoveryTypeMayGetAnEmptyListInTheSpecProfileOnly() {
        Observation o = of("DISC-UNKNOWN-TYPE");
        o.answers.add(new Observation.Answer(Observation.Kind.DISCOVERY, answered(200, 1),
                TestDevice.JSON.createArrayNode(), null));
        assertEquals(Finding.Status.PASS, new ErrorCodeCheck().judge(o, device.rules(org.stationtrust.ctk.Profile.SPEC)).status());
        Finding mosip = new ErrorCodeCheck().judge(o, device.rules(org.stationtrust.ctk.Profile.MOSIP));
        assertTrue(mosip.failed(), mosip.message());
    }
}
