package org.stationtrust.ctk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.stationtrust.ctk.CaseResult.Outcome;
import org.stationtrust.ctk.internal.testing.SimulatorFixture;
import org.stationtrust.sbi.simulator.DeviceKind;
import org.stationtrust.sbi.simulator.SbiFormat;
import org.stationtrust.sbi.simulator.SbiSimulator;
import org.stationtrust.sbi.simulator.SimulatedDevice;
import org.stationtrust.sbi.simulator.SimulatorConfig;

/**
 * An authentication finger capture whose ISO 19794-4 record holds a WSQ image (compression 2), which
 * MOSIP accepts for authentication beside lossy JPEG 2000: the harness decrypts it, reads the record
 * and decodes the WSQ image to its declared size in both profiles. The simulator plays a slap, so the
 * single-finger case AUTH-FINGER-ISO (SBI1069) is run as a slap case on its left index finger.
 */
class WsqCaptureTest {

    private static TestCase authFingerIsoOnASlap() {
        TestCase c = SimulatorFixture.CATALOGUE.byId("AUTH-FINGER-ISO");
        TestCase.Request r = c.request();
        TestCase.Request slap = new TestCase.Request("1", "1", List.of("Left IndexFinger"), r.exception(), r.requestedScore(),
                r.timeoutMs(), r.transactionId(), r.renameField(), r.captures(), r.repeat(), r.cohort(), r.discoveryType(),
                r.deviceId(), r.frames(), r.probe(), r.bytes(), r.reuseTransactionId());
        return new TestCase(c.id(), c.name(), c.description(), c.specVersion(), c.purpose(), c.category(), c.deviceTypes(),
                List.of("Slap"), c.methods(), slap, c.expect(), c.humanSteps(), c.needsOperator(), c.tags(), c.validators(),
                c.mosipIds());
    }

    @ParameterizedTest(name = "{0} profile, WSQ {1} -> {2}")
    @CsvSource({"SPEC, true, WSQ", "MOSIP, true, WSQ", "MOSIP, false, JPEG2000"})
    void anAuthenticationFingerRecordWithAWsqImageIsDecodedAndPasses(Profile profile, boolean wsq, String encoding)
            throws Exception {
        try (SimulatedDevice d = SbiSimulator.start(SimulatorConfig.builder(DeviceKind.FINGER_SLAP).anyFreePort()
                .purpose("Auth").format(SbiFormat.MOSIP_STRICT).wsqAuthFingers(wsq)
                .encryptionCertificate(SimulatorFixture.KEY.certificate()).build())) {
            CaseResult r = SimulatorFixture.harness(d).profile(profile).operator(Operator.automatic(), true).build()
                    .run(List.of(authFingerIsoOnASlap())).results().get(0);
            String iso = r.checks().stream().filter(c -> c.check().equals("iso-19794"))
                    .map(c -> c.status() + ": " + c.message()).collect(Collectors.joining());
            assertEquals(Outcome.PASSED, r.outcome(), r.reason() + " || " + iso);
            assertTrue(iso.contains("1 images (" + encoding + ") decoded to their declared size"), iso);
        }
    }
}
