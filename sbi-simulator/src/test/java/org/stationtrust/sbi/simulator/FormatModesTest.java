package org.stationtrust.sbi.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The wire-format modes (MOSIP_STRICT, LOOSE), companion devices on one port, and the newer fault modes. */
class FormatModesTest {
    private static final String START = "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855";

    @Test
    void theDefaultFormatKeepsItsLongStandingDiscoveryAndNotRegisteredAnswers() throws Exception {
        try (SimulatedDevice d = TestDevices.start(DeviceKind.FINGER_SLAP)) {
            assertEquals(1, TestDevices.discover(d, "FINGER").size(), "case-insensitive, as before");
            d.setStatus(DeviceStatus.NOT_REGISTERED);
            assertEquals("", TestDevices.discover(d, "Finger").get(0).path("purpose").asText());
        }
    }

    @Test
    void mosipStrictAnswersAnErrorElementForAnUpperCasedTypeAndKeepsThePurpose() throws Exception {
        try (SimulatedDevice d = SbiSimulator.start(TestDevices.config(DeviceKind.FINGER_SLAP).format(SbiFormat.MOSIP_STRICT).build())) {
            JsonNode upper = TestDevices.discover(d, "FINGER");
            assertEquals(1, upper.size());
            assertFalse(upper.get(0).has("deviceId"));
            assertEquals("501", TestDevices.errorCode(upper.get(0)));
            assertEquals(0, TestDevices.discover(d, "Iris").size(), "a valid type that is not this device: empty list");
            d.setStatus(DeviceStatus.NOT_REGISTERED);
            assertEquals("Registration", TestDevices.discover(d, "Finger").get(0).path("purpose").asText());
        }
    }

    @Test
    void mosipStrictAnswersItsBestFrameAtTheTimeoutWhenTheScoreIsNotReached() throws Exception {
        try (SimulatedDevice d = SbiSimulator.start(TestDevices.config(DeviceKind.FINGER_SLAP).format(SbiFormat.MOSIP_STRICT)
                .quality(50).build())) {
            ObjectNode req = TestDevices.rcapture(DeviceKind.FINGER_SLAP, 1, 4, List.of(), START);
            req.put("timeout", "1500");
            ((ObjectNode) req.path("bio").get(0)).put("requestedScore", "90");
            long start = System.nanoTime();
            JsonNode answer = TestDevices.capture(d, req);
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertTrue(ms >= 1500, "answered after " + ms + " ms, before the 1500 ms timeout");
            assertEquals(4, answer.path("biometrics").size());

            d.setFault(FaultMode.IGNORES_TIMEOUT);
            req.put("transactionId", java.util.UUID.randomUUID().toString());
            start = System.nanoTime();
            TestDevices.capture(d, req);
            assertTrue((System.nanoTime() - start) / 1_000_000 < 1000, "IGNORES_TIMEOUT answers at once");
        }
    }

    @Test
    void ignoresTimeoutAnswersNothingPresentedAtOnce() throws Exception {
        try (SimulatedDevice d = SbiSimulator.start(TestDevices.config(DeviceKind.FACE).fault(FaultMode.IGNORES_TIMEOUT)
                .biometricPresented(false).build())) {
            ObjectNode req = TestDevices.rcapture(DeviceKind.FACE, 0, 1, List.of(), START);
            req.put("timeout", "5000");
            long start = System.nanoTime();
            JsonNode answer = TestDevices.capture(d, req);
            assertTrue((System.nanoTime() - start) / 1_000_000 < 2000);
            assertEquals("101", TestDevices.errorCode(answer.path("biometrics").get(0)));
        }
    }

    @Test
    void looseWritesNumbersLowerCaseHashAnExtraPropertyAndAnEmptyErrorInfo() throws Exception {
        try (SimulatedDevice d = SbiSimulator.start(TestDevices.config(DeviceKind.FACE).format(SbiFormat.LOOSE).build())) {
            JsonNode el = TestDevices.capture(d, TestDevices.rcapture(DeviceKind.FACE, 0, 1, List.of(), START))
                    .path("biometrics").get(0);
            assertTrue(el.path("hash").asText().matches("[0-9a-f]{64}"));
            assertEquals("", el.path("error").path("errorInfo").asText("missing"));
            JsonNode data = TestDevices.JSON.readTree(TestDevices.Jws.parse(el.path("data").asText()).payload());
            assertTrue(data.path("qualityScore").isNumber());
            assertTrue(data.path("requestedScore").isNumber());
            assertTrue(data.has("vendorNote"));
        }
    }

    @Test
    void fractionalTimestampWritesMillisecondsAndAnOffset() throws Exception {
        try (SimulatedDevice d = SbiSimulator.start(TestDevices.config(DeviceKind.FACE).fault(FaultMode.FRACTIONAL_TIMESTAMP).build())) {
            JsonNode el = TestDevices.capture(d, TestDevices.rcapture(DeviceKind.FACE, 0, 1, List.of(), START))
                    .path("biometrics").get(0);
            JsonNode data = TestDevices.JSON.readTree(TestDevices.Jws.parse(el.path("data").asText()).payload());
            assertTrue(data.path("timestamp").asText().endsWith("+00:00"), data.path("timestamp").asText());
        }
    }

    @Test
    void companionsAreListedAndServedOnTheSamePort() throws Exception {
        try (SimulatedDevice d = SbiSimulator.start(TestDevices.config(DeviceKind.FINGER_SLAP)
                .companions(List.of(DeviceKind.IRIS_DOUBLE, DeviceKind.FACE)).build())) {
            JsonNode all = TestDevices.discover(d, "Biometric Device");
            assertEquals(List.of("1", "2", "3"), all.findValuesAsText("deviceId"));
            assertEquals(1, TestDevices.discover(d, "Iris").size());
            assertEquals(3, TestDevices.info(d).size());
            JsonNode iris = TestDevices.capture(d, TestDevices.rcapture(DeviceKind.IRIS_DOUBLE, 3, 2, List.of(), START));
            assertEquals(2, iris.path("biometrics").size());
            assertEquals("0", TestDevices.errorCode(iris.path("biometrics").get(0)));
        }
    }

    @Test
    void trailingBytesFollowTheClosingBoundaryOfAStream() throws Exception {
        try (SimulatedDevice d = SbiSimulator.start(TestDevices.config(DeviceKind.FACE)
                .fault(FaultMode.TRAILING_BYTES_AFTER_STREAM).build())) {
            byte[] body = TestDevices.send(d, "STREAM", "/stream", "{\"deviceId\":\"3\",\"deviceSubId\":\"0\",\"timeout\":\"400\"}",
                    Duration.ofSeconds(10)).body();
            String text = new String(body, StandardCharsets.ISO_8859_1);
            int end = text.indexOf("--sbiframe--");
            assertTrue(end > 0);
            assertTrue(text.substring(end).contains("0123456789ABCDEF"), "stray part after the final boundary");
        }
    }
}
