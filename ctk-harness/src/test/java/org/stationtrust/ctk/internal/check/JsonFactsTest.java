package org.stationtrust.ctk.internal.check;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class JsonFactsTest {

    @Test
    void readsDeviceValuesInTheBase64UrlAlphabetOnlyAsTheStationDoes() {
        byte[] bytes = {(byte) 0xFB, (byte) 0xFF, 0x01};
        assertArrayEquals(bytes, JsonFacts.base64("-_8B").orElseThrow());
        assertArrayEquals(bytes, JsonFacts.base64("-_8B==").orElseThrow(), "trailing padding tolerated, as sbi-client's Json.base64Url");
        assertTrue(JsonFacts.base64("+/8B").isEmpty(), "the standard alphabet is refused, as at the station");
    }

    @Test
    void readsAnX5cEntryInTheStandardAlphabet() {
        assertArrayEquals(new byte[] {(byte) 0xFB, (byte) 0xFF, 0x01}, JsonFacts.base64Either("+/8B").orElseThrow());
    }

    @Test
    void refusesJsonThatRepeatsAKey() {
        assertTrue(JsonFacts.parse("{\"a\":1,\"a\":2}".getBytes()).isEmpty());
        assertTrue(JsonFacts.parse("{\"a\":1,\"b\":2}".getBytes()).isPresent());
    }
}
