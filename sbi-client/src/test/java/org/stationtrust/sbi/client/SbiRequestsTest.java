package org.stationtrust.sbi.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.stationtrust.sbi.client.internal.SbiRequests;

class SbiRequestsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DigitalId SLAP = new DigitalId("S1", "M", "Mo", Modality.FINGER, "Slap", "P", "PID", "");

    static Device readySlap() {
        return new Device(4501, "2", List.of(1, 2, 3), DeviceStatus.NOT_REGISTERED, "L0", "Registration", "1.0",
                "S1", List.of("0.9.5"), "http://127.0.0.1:4501/", "", SLAP, Optional.empty());
    }

    @Test
    void registrationCaptureSendsNumbersAsStringsAndAlwaysAPreviousHash() throws Exception {
        CaptureRequest request = CaptureRequest.fingers(1, List.of("Left LittleFinger")).withRequestedScore(60);
        byte[] body = SbiRequests.registrationCapture(readySlap(), request, "Staging", "tx-1234",
                Instant.parse("2026-01-01T10:00:00.789Z"), HashChain.START_HEX);
        JsonNode root = JSON.readTree(body);
        JsonNode bio = root.get("bio").get(0);
        assertEquals("Registration", root.get("purpose").asText());
        assertEquals("0.9.5", root.get("specVersion").asText());
        assertTrue(root.get("timeout").isTextual());
        assertEquals("10000", root.get("timeout").asText());
        assertEquals("2026-01-01T10:00:00Z", root.get("captureTime").asText());
        assertEquals(1, root.get("bio").size());
        assertTrue(bio.get("count").isTextual());
        assertEquals("3", bio.get("count").asText());
        assertEquals("60", bio.get("requestedScore").textValue());
        assertEquals("1", bio.get("deviceSubId").textValue());
        assertEquals("2", bio.get("deviceId").textValue());
        assertEquals("Left LittleFinger", bio.get("exception").get(0).asText());
        assertEquals(HashChain.START_HEX, bio.get("previousHash").asText());
        assertTrue(root.has("customOpts"));
    }

    @Test
    void transactionIdsAreFreshAndMatchTheDeployedPattern() {
        String a = SbiRequests.newTransactionId();
        String b = SbiRequests.newTransactionId();
        assertNotEquals(a, b);
        assertTrue(SbiRequests.TRANSACTION_ID.matcher(a).matches());
        assertThrows(IllegalArgumentException.class, () -> SbiRequests.registrationCapture(readySlap(),
                CaptureRequest.fingers(1, List.of()), "Staging", "bad id!", Instant.now(), HashChain.START_HEX));
    }

    @Test
    void countPlusExceptionsMustEqualTheSensor() {
        assertEquals(4, CaptureRequest.fingers(1, List.of()).count());
        assertEquals(1, CaptureRequest.fingers(3, List.of("Left Thumb")).count());
        assertEquals(2, CaptureRequest.irises(3, List.of()).count());
        assertThrows(IllegalArgumentException.class, () -> new CaptureRequest(Modality.FINGER, 1, 4, List.of(),
                List.of("Left IndexFinger"), 40, Duration.ofSeconds(10), false));
        assertThrows(IllegalArgumentException.class, () -> CaptureRequest.fingers(1, List.of("Right Thumb")));
        assertThrows(IllegalArgumentException.class, () -> CaptureRequest.fingers(3,
                List.of("Left Thumb", "Right Thumb")));
        assertThrows(IllegalArgumentException.class, () -> CaptureRequest.face().withRequestedScore(101));
    }

    @Test
    void requestedBioSubTypesMustNameEveryBiometricTheCountExpects() {
        CaptureRequest thumbs = CaptureRequest.fingers(3, List.of()).withBioSubTypes(List.of("Left Thumb", "Right Thumb"));
        assertEquals(List.of("Left Thumb", "Right Thumb"), thumbs.acceptableSubTypes());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CaptureRequest.fingers(1, List.of()).withBioSubTypes(List.of("Left IndexFinger")));
        assertTrue(e.getMessage().contains("but count 4"), e.getMessage());
        assertEquals(List.of("Left IndexFinger"), CaptureRequest.fingers(1, List.of("Left MiddleFinger", "Left RingFinger",
                "Left LittleFinger")).withBioSubTypes(List.of("Left IndexFinger")).acceptableSubTypes());
    }

    @Test
    void theFaceExceptionPhotoNamesTheMissingBiometrics() throws Exception {
        CaptureRequest photo = CaptureRequest.exceptionPhoto(List.of("Left Thumb", "Right"));
        assertEquals(Modality.FACE, photo.type());
        assertEquals(1, photo.count());
        DigitalId face = new DigitalId("F1", "M", "Mo", Modality.FACE, "Full face", "P", "PID", "");
        Device camera = new Device(4503, "3", List.of(0), DeviceStatus.NOT_REGISTERED, "L0", "Registration", "1.0",
                "F1", List.of("0.9.5"), "http://127.0.0.1:4503/", "", face, Optional.empty());
        JsonNode bio = JSON.readTree(SbiRequests.registrationCapture(camera, photo, "Staging", "tx-abcd",
                Instant.now(), HashChain.START_HEX)).get("bio").get(0);
        assertEquals("Face", bio.get("type").asText());
        assertEquals("1", bio.get("count").asText());
        assertEquals(2, bio.get("exception").size());
        assertThrows(IllegalArgumentException.class, () -> CaptureRequest.exceptionPhoto(List.of()));
        assertThrows(IllegalArgumentException.class, () -> CaptureRequest.exceptionPhoto(List.of("Nose")));
    }
}
