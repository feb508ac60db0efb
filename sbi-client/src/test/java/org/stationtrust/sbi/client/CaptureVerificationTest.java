package org.stationtrust.sbi.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.stationtrust.sbi.client.internal.SbiRequests;
import org.stationtrust.sbi.client.testing.FixtureDevice;
import org.stationtrust.sbi.client.testing.RawHttpServer;
import org.stationtrust.sbi.client.testing.RegistrationSession;
import org.stationtrust.sbi.client.testing.TestClients;
import org.stationtrust.sbi.client.testing.TestPki;

/** Every capture check, one field bent at a time on the client's own fixture device. */
class CaptureVerificationTest {
    private static final TestPki PKI = new TestPki("Fixture Provider CA");
    private static FixtureDevice fixture;
    private static RawHttpServer server;
    private static SbiClient client;
    private static Device slap;

    @BeforeAll
    static void start() throws Exception {
        fixture = new FixtureDevice(PKI);
        server = fixture.serve();
        client = TestClients.client(PKI, fixture.port);
        slap = client.discover().first(Modality.FINGER).orElseThrow();
    }

    @AfterAll
    static void stop() throws Exception {
        client.close();
        server.close();
    }

    @AfterEach
    void heal() {
        fixture.editDigitalId = d -> { };
        fixture.editPayload = p -> { };
        fixture.editAnswer = a -> { };
    }

    private RejectionReason rejectedWith(Consumer<ObjectNode> payloadEdit) {
        fixture.editPayload = payloadEdit;
        return capture();
    }

    private RejectionReason capture() {
        return assertThrows(DeviceAnswerRejected.class,
                () -> new RegistrationSession(client).capture(slap, CaptureRequest.fingers(1, List.of()))).reason();
    }

    @Test
    void aValidSlapVerifiesAndCarriesTheTransactionIdAndHashes() throws Exception {
        RegistrationSession registration = new RegistrationSession(client);
        CaptureResult left = registration.capture(slap, CaptureRequest.fingers(1, List.of()));
        assertEquals(4, left.samples().size());
        assertEquals(left.lastHash(), registration.previousHash());
        assertNotEquals(HashChain.START_HEX, registration.previousHash());
        CaptureResult thumbs = registration.capture(slap, CaptureRequest.fingers(3, List.of("Right Thumb")));
        assertEquals(List.of("Left Thumb"), thumbs.samples().stream().map(BiometricSample::bioSubType).toList());
        assertTrue(SbiRequests.TRANSACTION_ID.matcher(thumbs.transactionId()).matches());
        assertFalse(thumbs.samples().get(0).toString().contains("fixture-record"));
    }

    @Test
    void rejectsAWrongTransactionIdEcho() {
        assertEquals(RejectionReason.TRANSACTION_ID_MISMATCH, rejectedWith(p -> p.put("transactionId", "other-1234")));
    }

    @Test
    void rejectsAnotherPurpose() {
        assertEquals(RejectionReason.PURPOSE_MISMATCH, rejectedWith(p -> p.put("purpose", "Auth")));
    }

    @Test
    void rejectsAnotherBioType() {
        assertEquals(RejectionReason.BIO_TYPE_MISMATCH, rejectedWith(p -> p.put("bioType", "Iris")));
    }

    @Test
    void rejectsABioSubTypeThatWasNotRequested() {
        assertEquals(RejectionReason.BIO_SUBTYPE_NOT_REQUESTED, rejectedWith(p -> p.put("bioSubType", "Right Thumb")));
    }

    @Test
    void rejectsAnExceptedFingerInTheAnswer() {
        fixture.editAnswer = a -> { };
        fixture.editPayload = p -> { };
        DeviceAnswerRejected e = assertThrows(DeviceAnswerRejected.class, () -> {
            fixture.editPayload = p -> {
                if (p.get("bioSubType").asText().equals("Left IndexFinger")) {
                    p.put("bioSubType", "Left LittleFinger");
                }
            };
            new RegistrationSession(client).capture(slap, CaptureRequest.fingers(1, List.of("Left LittleFinger")));
        });
        assertEquals(RejectionReason.BIO_SUBTYPE_NOT_REQUESTED, e.reason());
    }

    @Test
    void rejectsADuplicateBioSubType() {
        assertEquals(RejectionReason.BIO_SUBTYPE_DUPLICATE, rejectedWith(p -> p.put("bioSubType", "Left IndexFinger")));
    }

    @Test
    void rejectsAMissingElement() {
        fixture.editAnswer = a -> ((ArrayNode) a.get("biometrics")).remove(3);
        assertEquals(RejectionReason.COUNT_MISMATCH, capture());
    }

    @Test
    void rejectsAStaleTimestamp() {
        assertEquals(RejectionReason.TIMESTAMP_TOO_OLD,
                rejectedWith(p -> p.put("timestamp", Instant.now().minus(6, ChronoUnit.MINUTES).toString())));
    }

    @Test
    void rejectsAFutureTimestamp() {
        assertEquals(RejectionReason.TIMESTAMP_IN_FUTURE,
                rejectedWith(p -> p.put("timestamp", Instant.now().plus(6, ChronoUnit.MINUTES).toString())));
    }

    @Test
    void acceptsTimestampsWithAndWithoutMillis() throws Exception {
        Instant seconds = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        fixture.editPayload = p -> p.put("timestamp", seconds.toString());
        CaptureResult whole = new RegistrationSession(client).capture(slap, CaptureRequest.fingers(1, List.of()));
        assertTrue(whole.samples().stream().allMatch(s -> s.timestamp().equals(seconds)), "parsed without millis");
        Instant millis = Instant.now().truncatedTo(ChronoUnit.MILLIS).plusMillis(1);
        fixture.editPayload = p -> p.put("timestamp", millis.toString());
        CaptureResult precise = new RegistrationSession(client).capture(slap, CaptureRequest.fingers(1, List.of()));
        assertTrue(precise.samples().stream().allMatch(s -> s.timestamp().equals(millis)), "parsed with millis");
    }

    @Test
    void acceptsAUtcOffsetWrittenAsDigitsAsTheComplianceHarnessDoes() throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String digits = now.toString().replace("Z", "+0000");
        fixture.editPayload = p -> p.put("timestamp", digits);
        CaptureResult result = new RegistrationSession(client).capture(slap, CaptureRequest.fingers(1, List.of()));
        assertTrue(result.samples().stream().allMatch(s -> s.timestamp().equals(now)), "parsed " + digits);
    }

    @Test
    void rejectsALocalOffsetEvenWhenTheInstantIsCurrent() {
        String local = java.time.OffsetDateTime.now(java.time.ZoneOffset.ofHoursMinutes(5, 30)).toString();
        assertEquals(RejectionReason.MALFORMED_ANSWER, rejectedWith(p -> p.put("timestamp", local)));
    }

    @Test
    void rejectsAMalformedTimestamp() {
        assertEquals(RejectionReason.MALFORMED_ANSWER, rejectedWith(p -> p.put("timestamp", "yesterday")));
    }

    @Test
    void rejectsAQualityThatIsNotANumberFrom0To100() {
        assertEquals(RejectionReason.QUALITY_MALFORMED, rejectedWith(p -> p.put("qualityScore", "good")));
        assertEquals(RejectionReason.QUALITY_MALFORMED, rejectedWith(p -> p.put("qualityScore", "150")));
        assertEquals(RejectionReason.QUALITY_MALFORMED, rejectedWith(p -> p.put("qualityScore", "NaN")));
    }

    @Test
    void acceptsAQualityScoreWrittenAsAnOrdinaryFloatingPointNumber() throws Exception {
        fixture.editPayload = p -> p.put("qualityScore", 80.66666666666667);
        assertEquals(80.66666666666667, capturedQuality());
        for (String text : List.of("80.33333333333333", "8.05E1", "805e-1", "+80.5", ".5e2")) {
            fixture.editPayload = p -> p.put("qualityScore", text);
            assertEquals(Double.parseDouble(text), capturedQuality(), text);
        }
    }

    private double capturedQuality() throws DeviceAnswerRejected {
        return new RegistrationSession(client).capture(slap, CaptureRequest.fingers(1, List.of()))
                .samples().get(0).qualityScore();
    }

    @Test
    void refusesNonFiniteOutOfRangeOverLongAndNonDecimalQualityScores() {
        for (String text : List.of("NaN", "Infinity", "-Infinity", "1e400", "100.0000001", "-0.5", "0x1p6", "80d",
                "80." + "0".repeat(40), "")) {
            assertEquals(RejectionReason.QUALITY_MALFORMED, rejectedWith(p -> p.put("qualityScore", text)), text);
        }
    }

    @Test
    void acceptsANumericQualityAtTheThreshold() throws Exception {
        fixture.editPayload = p -> p.put("qualityScore", 40);
        CaptureResult r = new RegistrationSession(client).capture(slap, CaptureRequest.fingers(1, List.of()));
        assertEquals(40.0, r.samples().get(0).qualityScore());
    }

    @Test
    void rejectsAQualityBelowTheRequestedScore() {
        fixture.editPayload = p -> p.put("qualityScore", "80");
        DeviceAnswerRejected e = assertThrows(DeviceAnswerRejected.class, () -> new RegistrationSession(client)
                .capture(slap, CaptureRequest.fingers(1, List.of()).withRequestedScore(90)));
        assertEquals(RejectionReason.QUALITY_BELOW_THRESHOLD, e.reason());
    }

    @Test
    void rejectsABrokenHashChain() {
        fixture.editAnswer = a -> ((ObjectNode) a.get("biometrics").get(2)).put("hash", "00".repeat(32));
        assertEquals(RejectionReason.HASH_CHAIN_BROKEN, capture());
    }

    @Test
    void rejectsElementsDeliveredOutOfOrder() {
        fixture.editAnswer = a -> {
            ArrayNode b = (ArrayNode) a.get("biometrics");
            b.insert(0, b.remove(1));
        };
        assertEquals(RejectionReason.HASH_CHAIN_BROKEN, capture());
    }

    @Test
    void aRejectedCaptureLeavesTheRegistrationChainUntouched() throws Exception {
        RegistrationSession registration = new RegistrationSession(client);
        fixture.editAnswer = a -> ((ObjectNode) a.get("biometrics").get(0)).put("hash", "00".repeat(32));
        assertThrows(DeviceAnswerRejected.class, () -> registration.capture(slap, CaptureRequest.fingers(1, List.of())));
        assertEquals(HashChain.START_HEX, registration.previousHash());
        fixture.editAnswer = a -> { };
        registration.capture(slap, CaptureRequest.fingers(1, List.of()));
        assertEquals(1, registration.captures());
    }

    @Test
    void rejectsAnUnsignedInnerDigitalId() {
        assertEquals(RejectionReason.DIGITAL_ID_UNSIGNED, rejectedWith(p -> p.put("digitalId",
                TestPki.b64url(fixture.digitalIdJson(FixtureDevice.SERIAL).toString().getBytes(StandardCharsets.UTF_8)))));
    }

    @Test
    void rejectsTheDigitalIdOfAnotherDevice() {
        assertEquals(RejectionReason.DIGITAL_ID_MISMATCH,
                rejectedWith(p -> p.put("digitalId", fixture.sign(fixture.digitalIdJson("OTHER-9")))));
    }

    @Test
    void rejectsAnotherDeviceCode() {
        assertEquals(RejectionReason.DEVICE_MISMATCH, rejectedWith(p -> p.put("deviceCode", "OTHER-9")));
    }

    @Test
    void rejectsACaptureNamingAnotherEnvironmentOrNone() {
        assertEquals(RejectionReason.ENVIRONMENT_MISMATCH, rejectedWith(p -> p.put("env", "Production")));
        assertEquals(RejectionReason.ENVIRONMENT_MISMATCH, rejectedWith(p -> p.remove("env")));
    }

    @Test
    void rejectsADigitalIdWhoseDateTimeIsOutsideTheAllowedSkew() {
        fixture.editDigitalId = d -> d.put("dateTime", Instant.now().minus(6, ChronoUnit.MINUTES).toString());
        assertEquals(RejectionReason.TIMESTAMP_TOO_OLD, capture());
        fixture.editDigitalId = d -> d.put("dateTime", Instant.now().plus(6, ChronoUnit.MINUTES).toString());
        assertEquals(RejectionReason.TIMESTAMP_IN_FUTURE, capture());
        fixture.editDigitalId = d -> d.put("dateTime", "last week");
        assertEquals(RejectionReason.MALFORMED_ANSWER, capture());
    }

    @Test
    void acceptsADigitalIdWithoutDateTime() throws Exception {
        fixture.editDigitalId = d -> d.remove("dateTime");
        assertEquals(4, new RegistrationSession(client).capture(slap, CaptureRequest.fingers(1, List.of())).samples().size());
    }

    @Test
    void rejectsBadBase64InBioValue() {
        assertEquals(RejectionReason.MALFORMED_ANSWER, rejectedWith(p -> p.put("bioValue", "***not base64***")));
    }

    @Test
    void rejectsAnotherSpecVersionEcho() {
        fixture.editAnswer = a -> ((ObjectNode) a.get("biometrics").get(0)).put("specVersion", "1.0");
        assertEquals(RejectionReason.SPEC_VERSION_MISMATCH, capture());
    }

    @Test
    void mapsAnHttp200ErrorBodyToTheDeviceError() {
        fixture.editAnswer = a -> {
            a.removeAll();
            ObjectNode e = a.putArray("biometrics").addObject().putObject("error");
            e.put("errorCode", "111");
            e.put("errorInfo", "Device busy");
        };
        assertEquals(RejectionReason.DEVICE_BUSY, capture());
        fixture.editAnswer = a -> {
            a.removeAll();
            ObjectNode e = a.putArray("biometrics").addObject().putObject("error");
            e.put("errorCode", "101");
            e.put("errorInfo", "No biometric");
        };
        assertEquals(RejectionReason.DEVICE_ERROR, capture());
    }

    @Test
    void rejectsAnAnswerSignedByAnotherProvidersDevice() {
        TestPki other = new TestPki("Other CA");
        fixture.signingKey = other.deviceKeys.getPrivate();
        fixture.signingCert = other.device;
        try {
            assertEquals(RejectionReason.CERTIFICATE_UNTRUSTED, capture());
        } finally {
            fixture.signingKey = PKI.deviceKeys.getPrivate();
            fixture.signingCert = PKI.device;
        }
    }
}
