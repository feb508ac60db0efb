package org.stationtrust.sbi.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.stationtrust.sbi.client.testing.TestPki;

/** The strict splitting and decoding of a compact JWS that the station's verifier and the CTK share. */
class CompactJwsTest {
    private static final String HEADER = "{\"alg\":\"RS256\",\"x5c\":[\"X5C\"]}";

    private static String b64(String s) {
        return TestPki.b64url(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String refusal(String compact) {
        DeviceAnswerRejected e = assertThrows(DeviceAnswerRejected.class, () -> CompactJws.parse(compact, "deviceInfo"));
        assertEquals(RejectionReason.JWS_MALFORMED, e.reason());
        return e.detail();
    }

    @Test
    void splitsAndDecodesTheThreeParts() throws Exception {
        String compact = b64(HEADER) + "." + b64("{\"deviceId\":\"1\"}") + "." + TestPki.b64url(new byte[] {1, 2});
        CompactJws jws = CompactJws.parse(compact, "deviceInfo");
        assertEquals("RS256", jws.algorithm());
        assertEquals("X5C", jws.header().path("x5c").get(0).asText());
        assertEquals("1", jws.payloadJson("payload").get("deviceId").asText());
        assertArrayEquals(new byte[] {1, 2}, jws.signature());
        assertArrayEquals(compact.substring(0, compact.lastIndexOf('.')).getBytes(StandardCharsets.US_ASCII),
                jws.signingInput());
    }

    @Test
    void readsAlgNoneAndAnEmptySignatureLeavingTheVerdictToTheVerifier() throws Exception {
        CompactJws jws = CompactJws.parse(b64("{\"alg\":\"none\"}") + "." + b64("{}") + ".", "deviceInfo");
        assertEquals("none", jws.algorithm());
        assertEquals(0, jws.signature().length);
    }

    @Test
    void refusesOtherThanThreeParts() {
        assertTrue(refusal("a.b").contains("three dot-separated parts"));
        assertTrue(refusal("a.b.c.d").contains("got 4"));
        assertTrue(refusal("").contains("empty"));
        assertFalse(CompactJws.looksLike("a.b"));
        assertTrue(CompactJws.looksLike("a.b.c"));
    }

    @Test
    void refusesBase64PaddingAndCharactersOutsideTheUrlAlphabetNamingThePart() {
        // "{\"a\":1}" is 7 bytes: its base64url needs one '=' of padding.
        String padded = refusal(b64(HEADER) + "." + b64("{\"a\":1}") + "=.AQ");
        assertTrue(padded.startsWith("deviceInfo payload carries '=' padding") && padded.contains("without padding"), padded);
        String standard = refusal(b64(HEADER) + "." + b64("{}") + ".+/8B");
        assertTrue(standard.startsWith("deviceInfo signature is not base64url"), standard);
    }

    @Test
    void refusesAHeaderThatRepeatsAKeyIsNotAnObjectOrLacksAlg() {
        assertTrue(refusal(b64("{\"alg\":\"RS256\",\"alg\":\"none\"}") + "." + b64("{}") + ".AQ")
                .contains("header repeats a JSON key"));
        assertTrue(refusal(b64("[1]") + "." + b64("{}") + ".AQ").contains("must be a JSON object"));
        assertTrue(refusal(b64("{\"typ\":\"JWT\"}") + "." + b64("{}") + ".AQ").contains("no 'alg' string"));
        assertTrue(refusal(b64("{\"alg\":") + "." + b64("{}") + ".AQ").contains("header is not valid JSON"));
    }

    @Test
    void refusesACritHeader() {
        String detail = refusal(b64("{\"alg\":\"RS256\",\"crit\":[\"b64\"],\"b64\":false}") + "." + b64("{}") + ".AQ");
        assertTrue(detail.contains("'crit'") && detail.contains("remove"), detail);
    }

    @Test
    void readsThePayloadAsStrictDeviceJson() throws Exception {
        CompactJws jws = CompactJws.parse(b64(HEADER) + "." + b64("{\"deviceId\":\"1\",\"deviceId\":\"2\"}") + ".AQ", "data");
        DeviceAnswerRejected e = assertThrows(DeviceAnswerRejected.class, () -> jws.payloadJson("data payload"));
        assertTrue(e.detail().startsWith("data payload repeats a JSON key"), e.detail());
    }
}
