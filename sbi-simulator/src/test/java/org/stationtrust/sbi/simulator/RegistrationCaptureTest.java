package org.stationtrust.sbi.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.stationtrust.sbi.simulator.TestDevices.EMPTY_SHA256_HEX;
import static org.stationtrust.sbi.simulator.TestDevices.capture;
import static org.stationtrust.sbi.simulator.TestDevices.errorCode;
import static org.stationtrust.sbi.simulator.TestDevices.rcapture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RegistrationCaptureTest {
    private static SimulatedDevices devices;
    private static SimulatedDevice slap;
    private static SimulatedDevice iris;
    private static SimulatedDevice face;

    @BeforeAll
    static void start() {
        devices = SimulatedDevices.start(TestDevices.config(DeviceKind.FINGER_SLAP).build());
        slap = devices.device(DeviceKind.FINGER_SLAP);
        iris = devices.device(DeviceKind.IRIS_DOUBLE);
        face = devices.device(DeviceKind.FACE);
    }

    @AfterAll
    static void stop() {
        devices.close();
    }

    @AfterEach
    void reset() {
        devices.all().forEach(SimulatedDevice::reset);
    }

    @Test
    void leftSlapReturnsFourSignedFingersWhoseHashChainRecomputes() throws Exception {
        ObjectNode req = rcapture(DeviceKind.FINGER_SLAP, 1, 4, List.of(), EMPTY_SHA256_HEX);
        JsonNode biometrics = capture(slap, req).get("biometrics");
        assertEquals(4, biometrics.size());
        String previous = EMPTY_SHA256_HEX;
        List<String> subTypes = new ArrayList<>();
        for (JsonNode e : biometrics) {
            assertEquals("0", errorCode(e));
            assertEquals("0.9.5", e.get("specVersion").asText());
            TestDevices.Jws jws = TestDevices.Jws.parse(e.get("data").asText());
            assertTrue(jws.verifiesWith(jws.x5c()));
            assertTrue(TestDevices.chainsTo(jws.x5c(), TestDevices.CA.certificate()));
            JsonNode data = jws.payloadJson();
            assertEquals(req.get("transactionId").asText(), data.get("transactionId").asText());
            assertEquals("Finger", data.get("bioType").asText());
            assertEquals("Registration", data.get("purpose").asText());
            assertEquals(slap.serialNumber(), data.get("deviceCode").asText());
            assertEquals("40", data.get("requestedScore").asText());
            assertEquals("80", data.get("qualityScore").asText());
            byte[] iso = TestDevices.b64url(data.get("bioValue").asText());
            String expected = TestDevices.chainHash(previous, iso);
            assertEquals(expected, e.get("hash").asText(), "hash = SHA-256(prev || SHA-256(bioValue))");
            previous = expected;
            subTypes.add(data.get("bioSubType").asText());
            Instant ts = Instant.parse(data.get("timestamp").asText());
            assertTrue(Duration.between(ts, Instant.now()).abs().toSeconds() < 60);
        }
        assertEquals(List.of("Left IndexFinger", "Left MiddleFinger", "Left RingFinger", "Left LittleFinger"), subTypes);
    }

    @Test
    void hashChainCarriesAcrossRequestsOfOneRegistration() throws Exception {
        JsonNode first = capture(slap, rcapture(DeviceKind.FINGER_SLAP, 3, 2, List.of(), EMPTY_SHA256_HEX)).get("biometrics");
        String last = first.get(first.size() - 1).get("hash").asText();
        JsonNode second = capture(iris, rcapture(DeviceKind.IRIS_DOUBLE, 3, 2, List.of(), last)).get("biometrics");
        assertEquals(2, second.size());
        byte[] iso = TestDevices.b64url(TestDevices.Jws.parse(second.get(0).get("data").asText())
                .payloadJson().get("bioValue").asText());
        assertEquals(TestDevices.chainHash(last, iso), second.get(0).get("hash").asText());
    }

    @Test
    void fingerRecordsAreValidIso19794Part4WithTheFingerPositionAndQuality() throws Exception {
        slap.setQuality(67);
        JsonNode biometrics = capture(slap, rcapture(DeviceKind.FINGER_SLAP, 2, 4, List.of(), EMPTY_SHA256_HEX))
                .get("biometrics");
        int[] positions = {2, 3, 4, 5};  // ISO 19794-4: right index .. right little
        for (int i = 0; i < 4; i++) {
            JsonNode data = TestDevices.Jws.parse(biometrics.get(i).get("data").asText()).payloadJson();
            IsoHeaders h = IsoHeaders.finger(TestDevices.b64url(data.get("bioValue").asText()));
            assertEquals("FIR\0", h.format());
            assertEquals("020\0", h.version());
            assertEquals(1, h.representations());
            assertEquals(67, h.quality());
            assertEquals("67", data.get("qualityScore").asText());
            assertEquals(positions[i], h.position());
        }
    }

    @Test
    void irisRecordsAreValidIso19794Part6WithEyeLabels() throws Exception {
        JsonNode biometrics = capture(iris, rcapture(DeviceKind.IRIS_DOUBLE, 3, 2, List.of(), EMPTY_SHA256_HEX))
                .get("biometrics");
        List<Integer> eyes = new ArrayList<>();
        for (JsonNode e : biometrics) {
            JsonNode data = TestDevices.Jws.parse(e.get("data").asText()).payloadJson();
            IsoHeaders h = IsoHeaders.iris(TestDevices.b64url(data.get("bioValue").asText()));
            assertEquals("IIR\0", h.format());
            assertEquals("020\0", h.version());
            eyes.add(h.position());
            assertEquals(data.get("bioSubType").asText().equals("Left") ? 2 : 1, h.position());
        }
        assertEquals(2, eyes.size());
    }

    @Test
    void faceRecordIsValidIso19794Part5WithADecodableJpegAndNoBioSubType() throws Exception {
        JsonNode biometrics = capture(face, rcapture(DeviceKind.FACE, 0, 1, List.of(), EMPTY_SHA256_HEX))
                .get("biometrics");
        assertEquals(1, biometrics.size());
        JsonNode data = TestDevices.Jws.parse(biometrics.get(0).get("data").asText()).payloadJson();
        assertFalse(data.has("bioSubType"), "face elements carry no bioSubType");
        IsoHeaders h = IsoHeaders.face(TestDevices.b64url(data.get("bioValue").asText()));
        assertEquals("FAC\0", h.format());
        assertEquals("030\0", h.version());
        assertNotNull(ImageIO.read(new ByteArrayInputStream(h.image())), "face image decodes as JPEG");
    }

    @Test
    void faceWithExceptionsReturnsTheExceptionPhoto() throws Exception {
        ObjectNode normal = rcapture(DeviceKind.FACE, 0, 1, List.of(), EMPTY_SHA256_HEX);
        ObjectNode exception = rcapture(DeviceKind.FACE, 0, 1, List.of("Left IndexFinger", "Left Thumb"), EMPTY_SHA256_HEX);
        exception.put("transactionId", normal.get("transactionId").asText() + "-x");
        JsonNode a = capture(face, normal).get("biometrics").get(0);
        JsonNode b = capture(face, exception).get("biometrics").get(0);
        assertEquals("0", errorCode(b));
        JsonNode data = TestDevices.Jws.parse(b.get("data").asText()).payloadJson();
        assertEquals("Face", data.get("bioType").asText());
        byte[] photo = IsoHeaders.face(TestDevices.b64url(data.get("bioValue").asText())).image();
        byte[] regular = IsoHeaders.face(TestDevices.b64url(
                TestDevices.Jws.parse(a.get("data").asText()).payloadJson().get("bioValue").asText())).image();
        assertFalse(java.util.Arrays.equals(photo, regular), "exception photo is a different image");
    }

    @Test
    void thumbsWithOneExceptionCaptureTheOtherThumbOnly() throws Exception {
        JsonNode biometrics = capture(slap, rcapture(DeviceKind.FINGER_SLAP, 3, 1, List.of("Left Thumb"), EMPTY_SHA256_HEX))
                .get("biometrics");
        assertEquals(1, biometrics.size());
        assertEquals("Right Thumb", TestDevices.Jws.parse(biometrics.get(0).get("data").asText())
                .payloadJson().get("bioSubType").asText());
    }

    @Test
    void countThatDoesNotFitSensorAndExceptionsGives109() throws Exception {
        JsonNode e = capture(slap, rcapture(DeviceKind.FINGER_SLAP, 1, 4, List.of("Left RingFinger"), EMPTY_SHA256_HEX))
                .get("biometrics").get(0);
        assertEquals("109", errorCode(e));
        assertEquals("", e.get("data").asText());
    }

    @Test
    void invalidOrReusedTransactionIdGives112() throws Exception {
        ObjectNode bad = rcapture(DeviceKind.FINGER_SLAP, 1, 4, List.of(), EMPTY_SHA256_HEX);
        bad.put("transactionId", "no spaces allowed");
        assertEquals("112", errorCode(capture(slap, bad).get("biometrics").get(0)));

        ObjectNode once = rcapture(DeviceKind.FINGER_SLAP, 1, 4, List.of(), EMPTY_SHA256_HEX);
        assertEquals("0", errorCode(capture(slap, once).get("biometrics").get(0)));
        assertEquals("112", errorCode(capture(slap, once).get("biometrics").get(0)));
    }

    @Test
    void numbersSentAsJsonNumbersAreRefusedAsInteropViolations() throws Exception {
        ObjectNode req = rcapture(DeviceKind.FINGER_SLAP, 1, 4, List.of(), EMPTY_SHA256_HEX);
        ((ObjectNode) req.get("bio").get(0)).put("count", 4);
        JsonNode e = capture(slap, req).get("biometrics").get(0);
        assertEquals("501", errorCode(e));
        assertTrue(e.get("error").get("errorInfo").asText().contains("count"));

        ObjectNode noHash = rcapture(DeviceKind.FINGER_SLAP, 1, 4, List.of(), EMPTY_SHA256_HEX);
        ((ObjectNode) noHash.get("bio").get(0)).remove("previousHash");
        assertEquals("501", errorCode(capture(slap, noHash).get("biometrics").get(0)));
    }

    @Test
    void wrongDeviceIdOrSubIdGives106() throws Exception {
        ObjectNode req = rcapture(DeviceKind.FINGER_SLAP, 0, 4, List.of(), EMPTY_SHA256_HEX);
        assertEquals("106", errorCode(capture(slap, req).get("biometrics").get(0)));
    }

    @Test
    void statusDecidesTheCaptureErrorCode() throws Exception {
        slap.setStatus(DeviceStatus.NOT_READY);
        assertEquals("110", errorCode(capture(slap, rcapture(DeviceKind.FINGER_SLAP, 1, 4, List.of(), EMPTY_SHA256_HEX))
                .get("biometrics").get(0)));
        slap.setStatus(DeviceStatus.BUSY);
        assertEquals("111", errorCode(capture(slap, rcapture(DeviceKind.FINGER_SLAP, 1, 4, List.of(), EMPTY_SHA256_HEX))
                .get("biometrics").get(0)));
        slap.setStatus(DeviceStatus.NOT_REGISTERED);
        assertEquals("100", errorCode(capture(slap, rcapture(DeviceKind.FINGER_SLAP, 1, 4, List.of(), EMPTY_SHA256_HEX))
                .get("biometrics").get(0)));
    }

    @Test
    void noBiometricPresentedEndsWith101AtTheTimeout() throws Exception {
        face.setBiometricPresented(false);
        ObjectNode req = rcapture(DeviceKind.FACE, 0, 1, List.of(), EMPTY_SHA256_HEX);
        req.put("timeout", "1200");
        long start = System.nanoTime();
        JsonNode e = capture(face, req).get("biometrics").get(0);
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        assertEquals("101", errorCode(e));
        assertTrue(elapsedMs >= 1100 && elapsedMs < 15_000, "answered at the timeout, took " + elapsedMs + " ms");
    }

    @Test
    void secondCaptureWhileTheFirstRunsIsBusy() throws Exception {
        face.setBiometricPresented(false);
        ObjectNode slow = rcapture(DeviceKind.FACE, 0, 1, List.of(), EMPTY_SHA256_HEX);
        slow.put("timeout", "3000");
        CompletableFuture<JsonNode> first = CompletableFuture.supplyAsync(() -> {
            try {
                return capture(face, slow);
            } catch (Exception ex) {
                throw new IllegalStateException(ex);
            }
        });
        long deadline = System.nanoTime() + 2_500_000_000L;
        String reported;
        do {
            Thread.sleep(50);
            reported = TestDevices.discover(face, "Face").get(0).get("deviceStatus").asText();
        } while (!reported.equals("Busy") && System.nanoTime() < deadline);
        assertEquals("Busy", reported, "discovery reports Busy during a capture");
        JsonNode second = capture(face, rcapture(DeviceKind.FACE, 0, 1, List.of(), EMPTY_SHA256_HEX));
        assertEquals("111", errorCode(second.get("biometrics").get(0)));
        assertEquals("101", errorCode(first.get().get("biometrics").get(0)));
        assertEquals("Ready", TestDevices.discover(face, "Face").get(0).get("deviceStatus").asText());
    }
}
