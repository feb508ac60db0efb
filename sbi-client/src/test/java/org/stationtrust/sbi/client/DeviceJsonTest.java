package org.stationtrust.sbi.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The one strict reader of device JSON that the station and the CTK share. */
class DeviceJsonTest {

    private static DeviceAnswerRejected refusal(String json) {
        DeviceAnswerRejected e = assertThrows(DeviceAnswerRejected.class,
                () -> DeviceJson.read(json.getBytes(StandardCharsets.UTF_8), "capture answer"));
        assertEquals(RejectionReason.MALFORMED_ANSWER, e.reason());
        return e;
    }

    @Test
    void readsAnObjectAndToleratesBytesAfterIt() throws Exception {
        assertEquals(1, DeviceJson.read("{\"a\":1}\r\n\0".getBytes(StandardCharsets.ISO_8859_1), "x").get("a").asInt());
    }

    @Test
    void refusesAKeyRepeatedInOneObjectSayingWhereAndWhatToDo() {
        String detail = refusal("{\"biometrics\": [], \"biometrics\": []}").detail();
        assertTrue(detail.startsWith("capture answer repeats a JSON key") && detail.contains("column")
                && detail.contains("send each key once"), detail);
    }

    @Test
    void refusesNestingDeeperThanTheBound() {
        String deep = "[".repeat(DeviceJson.MAX_NESTING_DEPTH + 1) + "]".repeat(DeviceJson.MAX_NESTING_DEPTH + 1);
        assertTrue(refusal(deep).detail().contains("not valid JSON"));
        assertTrue(refusal("{\"q\":" + "9".repeat(DeviceJson.MAX_NUMBER_LENGTH + 1) + "}").detail().contains("not valid JSON"));
    }

    @Test
    void describesMalformedJsonWithoutQuotingTheDevicesBytes() {
        String record = "RklSADIwAHN5bnRoZXRpYyByZWNvcmQ";
        String detail = refusal("{\"biometrics\": [{\"data\": " + record + "}]}").detail();
        assertFalse(detail.contains(record.substring(0, 12)), detail);
        assertTrue(detail.contains("line 1, column"), detail);
    }

    @Test
    void refusesAnEmptyBody() {
        assertTrue(refusal("  ").detail().contains("is empty"));
    }

    @Test
    void readsBase64UrlToleratingTrailingPaddingButNotTheStandardAlphabet() throws Exception {
        byte[] bytes = {(byte) 0xFB, (byte) 0xFF, 0x01};
        assertArrayEquals(bytes, DeviceJson.base64Url("-_8B", "bioValue"));
        assertArrayEquals(bytes, DeviceJson.base64Url(" -_8B== ", "bioValue"));
        DeviceAnswerRejected e = assertThrows(DeviceAnswerRejected.class, () -> DeviceJson.base64Url("+/8B", "bioValue"));
        assertTrue(e.detail().startsWith("bioValue is not valid base64url"), e.detail());
    }

    @Test
    void readsAnX5cCertificateInEitherAlphabetButNothingElse() throws Exception {
        byte[] bytes = {(byte) 0xFB, (byte) 0xFF, 0x01};
        assertArrayEquals(bytes, DeviceJson.base64Certificate("+/8B", "x5c entry"));
        assertArrayEquals(bytes, DeviceJson.base64Certificate("-_8B", "x5c entry"));
        DeviceAnswerRejected e = assertThrows(DeviceAnswerRejected.class,
                () -> DeviceJson.base64Certificate("+/8B\n*", "x5c entry"));
        assertTrue(e.detail().startsWith("x5c entry is not base64"), e.detail());
    }
}
