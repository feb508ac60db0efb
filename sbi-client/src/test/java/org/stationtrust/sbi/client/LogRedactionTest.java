package org.stationtrust.sbi.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.stationtrust.logging.JsonLineEncoder;
import org.stationtrust.logging.Redaction;
import org.stationtrust.sbi.client.testing.RegistrationSession;
import org.stationtrust.sbi.client.testing.SimulatorRig;
import org.stationtrust.sbi.simulator.DeviceKind;
import org.stationtrust.sbi.simulator.FaultMode;
import org.stationtrust.testsupport.HostileInputs;

/** Logs name captures by transactionId and never carry bioValue, certificates, keys or images. */
class LogRedactionTest {

    @Test
    void capturesAreLoggedByTransactionIdWithoutBiometricsOrCertificates() throws Exception {
        Logger root = (Logger) LoggerFactory.getLogger("org.stationtrust.sbi.client");
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        // Appended from the code's own threads while the test reads it.
        appender.list = new java.util.concurrent.CopyOnWriteArrayList<>();
        appender.start();
        root.addAppender(appender);
        ch.qos.logback.classic.Level before = root.getLevel();
        root.setLevel(ch.qos.logback.classic.Level.DEBUG);
        try (SimulatorRig rig = SimulatorRig.start()) {
            Device slap = rig.device(DeviceKind.FINGER_SLAP);
            CaptureResult ok = new RegistrationSession(rig.client).capture(slap, CaptureRequest.fingers(1, List.of()));
            rig.simulated(DeviceKind.FINGER_SLAP).setFault(FaultMode.BROKEN_HASH_CHAIN);
            DeviceAnswerRejected rejected = assertThrows(DeviceAnswerRejected.class,
                    () -> new RegistrationSession(rig.client).capture(slap, CaptureRequest.fingers(1, List.of())));

            // As a program writes them: through the shared encoder.
            String logs = appender.list.stream().map(JsonLineEncoder::line).collect(Collectors.joining("\n"));
            assertTrue(logs.contains("\"transactionId\":\"" + ok.transactionId() + "\""), logs);
            assertTrue(logs.contains("\"transactionId\":\"" + rejected.transactionId().orElseThrow() + "\""), logs);
            assertTrue(logs.contains("\"event\":\"sbi.capture_rejected\"") && logs.contains("\"reason\":\"HASH_CHAIN_BROKEN\""),
                    logs);
            for (BiometricSample s : ok.samples()) {
                String b64 = Base64.getUrlEncoder().withoutPadding().encodeToString(s.bioValue());
                assertFalse(logs.contains(b64.substring(0, 40)), "bioValue reached a log line");
                assertFalse(logs.contains(s.signedData().substring(0, 40)), "a JWS reached a log line");
                assertFalse(s.toString().contains(b64.substring(0, 40)));
            }
            String cert = Base64.getEncoder().encodeToString(slap.certificate().orElseThrow().getEncoded());
            assertFalse(logs.contains(cert.substring(0, 40)), "a certificate reached a log line");
            assertFalse(rejected.getMessage().contains(Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(ok.samples().get(0).bioValue()).substring(0, 40)));
        } finally {
            root.detachAppender(appender);
            root.setLevel(before);
        }
    }

    @Test
    void aMalformedAnswerIsDescribedWithoutQuotingTheDevicesBytes() {
        String record = Base64.getUrlEncoder().withoutPadding().encodeToString("FIR\0020\0 synthetic record bytes".getBytes(
                java.nio.charset.StandardCharsets.ISO_8859_1));
        for (String body : List.of("{\"bioValue\": " + record + "}", "[" + record + "]", record,
                "{\"bioValue\": \"" + record + "\" \"x\"}")) {
            DeviceAnswerRejected e = assertThrows(DeviceAnswerRejected.class, () -> org.stationtrust.sbi.client.internal.Json
                    .parse(body.getBytes(java.nio.charset.StandardCharsets.UTF_8), "capture answer"));
            assertEquals(RejectionReason.MALFORMED_ANSWER, e.reason());
            assertFalse(e.getMessage().contains(record.substring(0, 12)), e.getMessage());
            assertTrue(e.getMessage().contains("capture answer is not valid JSON") && e.getMessage().contains("column"),
                    e.getMessage());
        }
    }

    @Test
    void deviceTextIsCutAndStrippedOfControlCharacters() {
        String hostile = "ok\r\nFAKE LOG LINE " + "A".repeat(10_000);
        String safe = Redaction.deviceText(hostile);
        assertFalse(safe.contains("\n"));
        assertTrue(safe.length() < 120, safe);
        assertEquals("(none)", Redaction.deviceText(null));
    }

    @Test
    void deviceTextFromAHostileDeviceCarriesNoSecretOfTheSharedSet() {
        for (HostileInputs.Hostile h : HostileInputs.caughtInText()) {
            String safe = Redaction.deviceText(h.text(), 10_000);
            assertEquals(List.of(), HostileInputs.leaks(safe), safe);
        }
    }
}
