package org.stationtrust.sbi.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.stationtrust.sbi.client.testing.RegistrationSession;
import org.stationtrust.sbi.client.testing.SimulatorRig;
import org.stationtrust.sbi.client.testing.TestPki;
import org.stationtrust.sbi.simulator.DeviceKind;
import org.stationtrust.sbi.simulator.DeviceProviderCa;
import org.stationtrust.sbi.simulator.FaultMode;
import org.stationtrust.sbi.simulator.SbiSimulator;
import org.stationtrust.sbi.simulator.SimulatedDevice;
import org.stationtrust.sbi.simulator.SimulatorConfig;

/** Authentication CAPTURE against an Auth-purpose simulator encrypting to a server certificate. */
class AuthenticationCaptureTest {

    @Test
    void anAuthenticationCaptureVerifiesAndKeepsTheBiometricsEncrypted() throws Exception {
        TestPki server = new TestPki("Server");
        DeviceProviderCa ca = DeviceProviderCa.generate("Auth Provider CA");
        try (SimulatedDevice sim = SbiSimulator.start(SimulatorConfig.builder(DeviceKind.FINGER_SLAP).anyFreePort()
                .ca(ca).purpose("Auth").encryptionCertificate(server.device).build());
             SbiClient client = new SbiClient(SimulatorRig.config(ca).ports(sim.port(), sim.port()).build())) {
            Device slap = client.probe(sim.port()).get(0);
            assertEquals("Auth", slap.purpose());

            CaptureResult result = client.authenticationCapture(slap, CaptureRequest.fingers(3, List.of()),
                    "https://auth.example.org");
            assertEquals(2, result.samples().size());
            String thumbprint = HexFormat.of().withUpperCase()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(server.device.getEncoded()));
            for (BiometricSample s : result.samples()) {
                assertTrue(s.encrypted());
                assertTrue(s.sessionKey().isPresent());
                assertEquals(thumbprint, s.thumbprint().orElseThrow().toUpperCase());
                assertTrue(s.bioValue().length > 16);
            }

            sim.setFault(FaultMode.WRONG_TRANSACTION_ID);
            DeviceAnswerRejected e = assertThrows(DeviceAnswerRejected.class, () -> client.authenticationCapture(slap,
                    CaptureRequest.fingers(3, List.of()), "https://auth.example.org"));
            assertEquals(RejectionReason.TRANSACTION_ID_MISMATCH, e.reason());

            sim.setFault(FaultMode.NONE);
            DeviceAnswerRejected purpose = assertThrows(DeviceAnswerRejected.class,
                    () -> new RegistrationSession(client).capture(slap, CaptureRequest.fingers(1, List.of())));
            assertEquals(RejectionReason.PURPOSE_MISMATCH, purpose.reason());
        }
    }
}
