package org.stationtrust.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.stationtrust.testsupport.HostileInputs;

class RedactionTest {
    @Test
    void everyHostileValueUnderItsKeyIsWithheldWhole() {
        for (HostileInputs.Hostile h : HostileInputs.all()) {
            assertTrue(Redaction.isSensitiveKey(h.key()), h.key());
            assertEquals(Redaction.REDACTED, Redaction.value(h.key(), h.value()), h.name());
        }
    }

    @Test
    void everyHostileValueInFreeTextIsScrubbedAndTheSentenceKept() {
        for (HostileInputs.Hostile h : HostileInputs.caughtInText()) {
            String scrubbed = Redaction.scrub(h.text());
            assertEquals(List.of(), HostileInputs.leaks(scrubbed), scrubbed);
            assertTrue(scrubbed.contains(Redaction.REDACTED), scrubbed);
            String firstWord = h.text().substring(0, h.text().indexOf(' '));
            assertTrue(scrubbed.startsWith(firstWord), "the words around the secret stay: " + scrubbed);
        }
    }

    @Test
    void keysNamingWhatTheValueIsAreSensitiveAndKeysNamingAnAttributeOfItAreNot() {
        for (String key : List.of("password", "apiToken", "api_token", "X-Auth-Token", "Authorization", "Cookie",
                "bioValue", "biometrics", "sessionKey", "privateKey", "dataKey", "data", "key", "pin", "publicKeyPin",
                "ekCertificate", "certificateChain", "pcrs", "pcrValues", "quote", "ekSerial", "image", "frame",
                "withToken", "signature", "enrollmentToken")) {
            assertTrue(Redaction.isSensitiveKey(key), key);
        }
        for (String key : List.of("keyName", "enrolledKeyName", "attestationKeyHandle", "packetId", "modality", "user",
                "method", "route", "status", "requestId", "machineId", "hash", "bioType", "bioSubType", "certification",
                "tpmCaDirectory", "deviceCode", "serialNo", "transactionId", "error", "reason", "", "event")) {
            assertFalse(Redaction.isSensitiveKey(key), key);
        }
    }

    @Test
    void digestsAndOrdinaryTextPassThrough() {
        String digest = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
        assertEquals("hash=" + digest, Redaction.scrub("hash=" + digest));
        assertEquals("GET", Redaction.value("method", "GET"));
        assertEquals("/api/v1/stations/me", Redaction.value("route", "/api/v1/stations/me"));
        assertEquals(42, Redaction.value("count", 42));
        assertEquals("pin: [redacted]", Redaction.scrub("pin: [redacted]"));
    }

    @Test
    void nestedFieldsAndBytesAreRedactedByTheSameRules() {
        Map<String, Object> safe = Redaction.fields(Map.of("modality", "Finger", "nested",
                Map.of("privateKey", "k", "count", 4), "list", List.of(HostileInputs.JWS), "raw", new byte[] {1}));
        assertEquals("Finger", safe.get("modality"));
        assertEquals(Map.of("privateKey", Redaction.REDACTED, "count", 4), safe.get("nested"));
        assertEquals(List.of(Redaction.REDACTED), safe.get("list"));
        assertEquals(Redaction.REDACTED, safe.get("raw"));
    }

    @Test
    void longValuesAreCutAndDeviceTextIsPrintableAndShort() {
        String value = (String) Redaction.value("note", "word ".repeat(200));
        assertEquals(Redaction.MAX_VALUE_CHARS + 3, value.length());
        assertEquals("ab?c", Redaction.deviceText("ab\u0000c"));
        assertEquals("word ".repeat(16) + "...(100 chars)", Redaction.deviceText("word ".repeat(20)));
        assertEquals("serial [redacted]", Redaction.deviceText("serial " + "x".repeat(60)));
        assertEquals("(none)", Redaction.deviceText(null));
        assertEquals(List.of(), HostileInputs.leaks(Redaction.deviceText(HostileInputs.JWS, 400)));
    }
}
