package org.stationtrust.sbi.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.stationtrust.sbi.simulator.TestDevices.EMPTY_SHA256_HEX;
import static org.stationtrust.sbi.simulator.TestDevices.errorCode;
import static org.stationtrust.sbi.simulator.TestDevices.rcapture;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.security.cert.CertificateExpiredException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Each fault mode produces the concrete defect it names, and the device is fine again after reset. */
class FaultModeTest {
    private static SimulatedDevice slap;

    @BeforeAll
    static void start() {
        slap = SbiSimulator.start(TestDevices.config(DeviceKind.FINGER_SLAP)
                .oversizedBodyBytes(8L << 20).slowDripInterval(Duration.ofMillis(200)).build());
    }

    @AfterAll
    static void stop() {
        slap.close();
    }

    @AfterEach
    void resetAndCheckHealthy() throws Exception {
        slap.reset();
        JsonNode ok = leftSlap(rcapture(DeviceKind.FINGER_SLAP, 1, 4, List.of(), EMPTY_SHA256_HEX));
        assertEquals(4, ok.size(), "device works again after reset");
    }

    private static JsonNode leftSlap(ObjectNode request) throws Exception {
        return TestDevices.capture(slap, request).get("biometrics");
    }

    private static JsonNode leftSlapUnder(FaultMode fault) throws Exception {
        slap.setFault(fault);
        return leftSlap(rcapture(DeviceKind.FINGER_SLAP, 1, 4, List.of(), EMPTY_SHA256_HEX));
    }

    private static TestDevices.Jws infoUnder(FaultMode fault) throws Exception {
        slap.setFault(fault);
        return TestDevices.Jws.parse(TestDevices.info(slap).get(0).get("deviceInfo").asText());
    }

    private static JsonNode data(JsonNode element) throws Exception {
        return TestDevices.Jws.parse(element.get("data").asText()).payloadJson();
    }

    @Test
    void noneIsAWellBehavedDevice() throws Exception {
        JsonNode b = leftSlapUnder(FaultMode.NONE);
        TestDevices.Jws jws = TestDevices.Jws.parse(b.get(0).get("data").asText());
        assertTrue(jws.verifiesWith(jws.x5c()));
    }

    @Test
    void badSignatureDoesNotVerifyWithItsOwnTrustedCertificate() throws Exception {
        TestDevices.Jws info = infoUnder(FaultMode.BAD_SIGNATURE);
        assertTrue(TestDevices.chainsTo(info.x5c(), TestDevices.CA.certificate()));
        assertFalse(info.verifiesWith(info.x5c()));
        TestDevices.Jws capture = TestDevices.Jws.parse(leftSlapUnder(FaultMode.BAD_SIGNATURE).get(0).get("data").asText());
        assertFalse(capture.verifiesWith(capture.x5c()));
    }

    @Test
    void algNoneHeaderWithAnEmptySignature() throws Exception {
        TestDevices.Jws info = infoUnder(FaultMode.ALG_NONE);
        assertEquals("none", info.header().get("alg").asText());
        assertEquals(0, info.signature().length);
        JsonNode d = leftSlapUnder(FaultMode.ALG_NONE).get(0);
        assertTrue(d.get("data").asText().endsWith("."));
        assertEquals("none", TestDevices.Jws.parse(d.get("data").asText()).header().get("alg").asText());
    }

    @Test
    void missingX5cHeaderButStillSignedByTheDeviceKey() throws Exception {
        TestDevices.Jws info = infoUnder(FaultMode.MISSING_X5C);
        assertFalse(info.header().has("x5c"));
        assertTrue(info.verifiesWith(slap.deviceCertificate()));
    }

    @Test
    void expiredCertificateFromTheRightCa() throws Exception {
        TestDevices.Jws info = infoUnder(FaultMode.EXPIRED_CERTIFICATE);
        assertTrue(info.verifiesWith(info.x5c()));
        assertTrue(TestDevices.chainsTo(info.x5c(), TestDevices.CA.certificate()));
        assertThrows(CertificateExpiredException.class, () -> info.x5c().checkValidity());
    }

    @Test
    void untrustedCaCertificateIsValidButDoesNotChain() throws Exception {
        TestDevices.Jws info = infoUnder(FaultMode.UNTRUSTED_CA);
        assertTrue(info.verifiesWith(info.x5c()));
        info.x5c().checkValidity();
        assertFalse(TestDevices.chainsTo(info.x5c(), TestDevices.CA.certificate()));
    }

    @Test
    void foreignDigitalIdNamesAnotherDeviceThanDiscovery() throws Exception {
        JsonNode disc = TestDevices.JSON.readTree(TestDevices.b64url(
                TestDevices.discover(slap, "Finger").get(0).get("digitalId").asText()));
        JsonNode captured = TestDevices.Jws.parse(data(leftSlapUnder(FaultMode.FOREIGN_DIGITAL_ID).get(0))
                .get("digitalId").asText()).payloadJson();
        assertEquals(slap.serialNumber(), disc.get("serialNo").asText());
        assertNotEquals(disc.get("serialNo").asText(), captured.get("serialNo").asText());
        assertNotEquals(disc.get("deviceProvider").asText(), captured.get("deviceProvider").asText());
        JsonNode infoDigitalId = TestDevices.Jws.parse(infoUnder(FaultMode.FOREIGN_DIGITAL_ID).payloadJson()
                .get("digitalId").asText()).payloadJson();
        assertNotEquals(slap.serialNumber(), infoDigitalId.get("serialNo").asText());
    }

    @Test
    void staleTimestampIsAnHourInThePast() throws Exception {
        JsonNode d = data(leftSlapUnder(FaultMode.STALE_TIMESTAMP).get(0));
        long minutes = Duration.between(Instant.parse(d.get("timestamp").asText()), Instant.now()).toMinutes();
        assertTrue(minutes >= 59 && minutes <= 61, "timestamp " + minutes + " min old");
        JsonNode digitalId = TestDevices.Jws.parse(d.get("digitalId").asText()).payloadJson();
        assertTrue(Instant.parse(digitalId.get("dateTime").asText()).isBefore(Instant.now().minusSeconds(3500)));
    }

    @Test
    void futureTimestampIsAnHourAhead() throws Exception {
        JsonNode d = data(leftSlapUnder(FaultMode.FUTURE_TIMESTAMP).get(0));
        long minutes = Duration.between(Instant.now(), Instant.parse(d.get("timestamp").asText())).toMinutes();
        assertTrue(minutes >= 58 && minutes <= 60, "timestamp " + minutes + " min ahead");
    }

    @Test
    void brokenHashChainDoesNotRecompute() throws Exception {
        JsonNode e = leftSlapUnder(FaultMode.BROKEN_HASH_CHAIN).get(0);
        byte[] iso = TestDevices.b64url(data(e).get("bioValue").asText());
        assertNotEquals(TestDevices.chainHash(EMPTY_SHA256_HEX, iso), e.get("hash").asText());
        assertEquals(TestDevices.chainHash("00".repeat(32), iso), e.get("hash").asText());
    }

    @Test
    void wrongTransactionIdIsEchoed() throws Exception {
        slap.setFault(FaultMode.WRONG_TRANSACTION_ID);
        ObjectNode req = rcapture(DeviceKind.FINGER_SLAP, 1, 4, List.of(), EMPTY_SHA256_HEX);
        for (JsonNode e : leftSlap(req)) {
            assertNotEquals(req.get("transactionId").asText(), data(e).get("transactionId").asText());
        }
    }

    @Test
    void wrongBioSubTypeIsOutsideTheRequestedSet() throws Exception {
        Set<String> leftSlap = Set.of("Left IndexFinger", "Left MiddleFinger", "Left RingFinger", "Left LittleFinger");
        String first = data(leftSlapUnder(FaultMode.WRONG_BIO_SUBTYPE).get(0)).get("bioSubType").asText();
        assertFalse(leftSlap.contains(first), first + " should not be on the left slap");
    }

    @Test
    void duplicateBioSubTypeAppearsTwice() throws Exception {
        List<String> names = new ArrayList<>();
        for (JsonNode e : leftSlapUnder(FaultMode.DUPLICATE_BIO_SUBTYPE)) {
            names.add(data(e).get("bioSubType").asText());
        }
        assertEquals(4, names.size());
        assertTrue(new HashSet<>(names).size() < names.size(), "duplicates in " + names);
    }

    @Test
    void wrongCountReturnsOneElementFewer() throws Exception {
        assertEquals(3, leftSlapUnder(FaultMode.WRONG_COUNT).size());
    }

    @Test
    void lowQualityIsBelowTheRequestedScore() throws Exception {
        JsonNode d = data(leftSlapUnder(FaultMode.LOW_QUALITY).get(0));
        assertTrue(Integer.parseInt(d.get("qualityScore").asText()) < Integer.parseInt(d.get("requestedScore").asText()));
    }

    @Test
    void busyCapturesAnswer111WhileDiscoverySaysReady() throws Exception {
        JsonNode e = leftSlapUnder(FaultMode.BUSY).get(0);
        assertEquals("111", errorCode(e));
        assertEquals("Ready", TestDevices.discover(slap, "Finger").get(0).get("deviceStatus").asText());
    }

    @Test
    void malformedJsonDoesNotParse() throws Exception {
        slap.setFault(FaultMode.MALFORMED_JSON);
        HttpResponse<byte[]> r = TestDevices.send(slap, "MOSIPDINFO", "/info", null, Duration.ofSeconds(5));
        assertEquals(200, r.statusCode());
        assertThrows(JsonProcessingException.class, () -> TestDevices.JSON.readTree(r.body()));
    }

    @Test
    void oversizedBodyIsChunkedAndHuge() throws Exception {
        slap.setFault(FaultMode.OVERSIZED_BODY);
        HttpRequest req = HttpRequest.newBuilder(slap.callbackUrl().resolve("/info")).timeout(Duration.ofSeconds(5))
                .method("MOSIPDINFO", HttpRequest.BodyPublishers.noBody()).build();
        HttpResponse<InputStream> r = TestDevices.HTTP.send(req, HttpResponse.BodyHandlers.ofInputStream());
        assertTrue(r.headers().firstValue("Content-Length").isEmpty(), "no Content-Length announces the size");
        long total;
        try (InputStream in = r.body()) {
            total = in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        assertEquals(8L << 20, total);
    }

    @Test
    void slowDripSendsOnlyAFewBytesPerSecond() throws Exception {
        slap.setFault(FaultMode.SLOW_DRIP);
        HttpRequest req = HttpRequest.newBuilder(slap.callbackUrl().resolve("/device")).timeout(Duration.ofSeconds(5))
                .method("MOSIPDISC", HttpRequest.BodyPublishers.ofString("{\"type\":\"Finger\"}")).build();
        HttpResponse<InputStream> r = TestDevices.HTTP.send(req, HttpResponse.BodyHandlers.ofInputStream());
        long contentLength = Long.parseLong(r.headers().firstValue("Content-Length").orElseThrow());
        int read = 0;
        long start = System.nanoTime();
        try (InputStream in = r.body()) {
            while (System.nanoTime() - start < 1_000_000_000L && in.read() != -1) {
                read++;
            }
        }
        assertTrue(read >= 1 && read <= 10, "read " + read + " bytes in about 1 s");
        assertTrue(contentLength > 100, "the full answer would be " + contentLength + " bytes");
    }

    @Test
    void neverAnswersTimesTheClientOut() {
        slap.setFault(FaultMode.NEVER_ANSWERS);
        assertThrows(HttpTimeoutException.class,
                () -> TestDevices.send(slap, "MOSIPDINFO", "/info", null, Duration.ofMillis(700)));
    }

    @Test
    void adminEndpointStillAnswersUnderTransportFaults() throws Exception {
        slap.setFault(FaultMode.NEVER_ANSWERS);
        assertEquals("NEVER_ANSWERS", TestDevices.admin(slap, "state", null).get("fault").asText());
        assertEquals("NONE", TestDevices.admin(slap, "fault", "{\"fault\":\"NONE\"}").get("fault").asText());
    }

    /** The test that proves each mode; a new mode without an entry here fails the build. */
    private static final java.util.Map<FaultMode, String> PROOF = java.util.Map.ofEntries(
            java.util.Map.entry(FaultMode.NONE, "noneIsAWellBehavedDevice"),
            java.util.Map.entry(FaultMode.BAD_SIGNATURE, "badSignatureDoesNotVerifyWithItsOwnTrustedCertificate"),
            java.util.Map.entry(FaultMode.ALG_NONE, "algNoneHeaderWithAnEmptySignature"),
            java.util.Map.entry(FaultMode.MISSING_X5C, "missingX5cHeaderButStillSignedByTheDeviceKey"),
            java.util.Map.entry(FaultMode.EXPIRED_CERTIFICATE, "expiredCertificateFromTheRightCa"),
            java.util.Map.entry(FaultMode.UNTRUSTED_CA, "untrustedCaCertificateIsValidButDoesNotChain"),
            java.util.Map.entry(FaultMode.FOREIGN_DIGITAL_ID, "foreignDigitalIdNamesAnotherDeviceThanDiscovery"),
            java.util.Map.entry(FaultMode.STALE_TIMESTAMP, "staleTimestampIsAnHourInThePast"),
            java.util.Map.entry(FaultMode.FUTURE_TIMESTAMP, "futureTimestampIsAnHourAhead"),
            java.util.Map.entry(FaultMode.BROKEN_HASH_CHAIN, "brokenHashChainDoesNotRecompute"),
            java.util.Map.entry(FaultMode.WRONG_TRANSACTION_ID, "wrongTransactionIdIsEchoed"),
            java.util.Map.entry(FaultMode.WRONG_BIO_SUBTYPE, "wrongBioSubTypeIsOutsideTheRequestedSet"),
            java.util.Map.entry(FaultMode.DUPLICATE_BIO_SUBTYPE, "duplicateBioSubTypeAppearsTwice"),
            java.util.Map.entry(FaultMode.WRONG_COUNT, "wrongCountReturnsOneElementFewer"),
            java.util.Map.entry(FaultMode.LOW_QUALITY, "lowQualityIsBelowTheRequestedScore"),
            java.util.Map.entry(FaultMode.MALFORMED_JSON, "malformedJsonDoesNotParse"),
            java.util.Map.entry(FaultMode.OVERSIZED_BODY, "oversizedBodyIsChunkedAndHuge"),
            java.util.Map.entry(FaultMode.SLOW_DRIP, "slowDripSendsOnlyAFewBytesPerSecond"),
            java.util.Map.entry(FaultMode.NEVER_ANSWERS, "neverAnswersTimesTheClientOut"),
            java.util.Map.entry(FaultMode.BUSY, "busyCapturesAnswer111WhileDiscoverySaysReady"),
            java.util.Map.entry(FaultMode.IGNORES_TIMEOUT, "FormatModesTest#ignoresTimeoutAnswersNothingPresentedAtOnce"),
            java.util.Map.entry(FaultMode.TRAILING_BYTES_AFTER_STREAM, "FormatModesTest#trailingBytesFollowTheClosingBoundaryOfAStream"),
            java.util.Map.entry(FaultMode.FRACTIONAL_TIMESTAMP, "FormatModesTest#fractionalTimestampWritesMillisecondsAndAnOffset"));

    @Test
    void everyFaultModeHasATestThatProvesIt() throws NoSuchMethodException {
        assertEquals(EnumSet.allOf(FaultMode.class), EnumSet.copyOf(PROOF.keySet()), "add a test for each new fault mode");
        for (String method : PROOF.values()) {
            Class<?> owner = method.startsWith("FormatModesTest#") ? FormatModesTest.class : FaultModeTest.class;
            String name = method.substring(method.indexOf('#') + 1);
            assertTrue(owner.getDeclaredMethod(name).isAnnotationPresent(Test.class), method);
        }
    }
}
