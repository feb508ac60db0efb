package org.stationtrust.ctk.internal.check;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The checks read values with the station's readers; what does not read is empty (its own check reports it). */
class AnswerFieldsTest {
    private static String b64(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsDeviceValuesInTheBase64UrlAlphabetOnlyAsTheStationDoes() {
        byte[] bytes = {(byte) 0xFB, (byte) 0xFF, 0x01};
        assertArrayEquals(bytes, AnswerFields.base64Url("-_8B==").orElseThrow(), "trailing padding tolerated");
        assertTrue(AnswerFields.base64Url("+/8B").isEmpty(), "the standard alphabet is refused, as at the station");
    }

    @Test
    void readsNoJsonThatRepeatsAKey() {
        assertTrue(AnswerFields.json("{\"a\":1,\"a\":2}".getBytes(StandardCharsets.UTF_8)).isEmpty());
        assertTrue(AnswerFields.json("{\"a\":1,\"b\":2}".getBytes(StandardCharsets.UTF_8)).isPresent());
    }

    @Test
    void readsADigitalIdSignedOrUnsignedButNotAPaddedJws() {
        String id = "{\"type\":\"Finger\"}";
        assertEquals("Finger", AnswerFields.digitalId(b64(id)).orElseThrow().path("type").asText());
        String header = b64("{\"alg\":\"RS256\"}");
        assertEquals("Finger", AnswerFields.digitalId(header + "." + b64(id) + ".AQ").orElseThrow().path("type").asText());
        assertTrue(AnswerFields.digitalId(header + "." + b64(id) + "=.AQ").isEmpty(), "the signature check reports it");
    }

    @Test
    void readsScoresSentAsNumbersOrNumericStrings() throws Exception {
        var node = new com.fasterxml.jackson.databind.ObjectMapper().readTree("{\"q\":\"71.5\",\"r\":40,\"s\":\"NaN\"}");
        assertEquals(71.5, AnswerFields.number(node, "q").orElseThrow());
        assertEquals(40.0, AnswerFields.number(node, "r").orElseThrow());
        assertTrue(AnswerFields.number(node, "s").isEmpty());
    }
}
