package org.stationtrust.server.internal.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RedactionTest {
    @Test
    void valuesUnderSensitiveKeysNeverReachTheLine() {
        String line = JsonLog.line("info", "login", "password", "hunter2hunter2", "apiToken", "sta_abc",
                "Authorization", "Bearer sta_xyz", "ekCertificate", "MIIB", "pcrs", "0=ab", "user", "alice");
        assertFalse(line.contains("hunter2"), line);
        assertFalse(line.contains("sta_abc") || line.contains("sta_xyz"), line);
        assertFalse(line.contains("MIIB") || line.contains("0=ab"), line);
        assertTrue(line.contains("\"user\":\"alice\""), line);
        assertTrue(line.startsWith("{") && line.contains("\"event\":\"login\""), line);
    }

    @Test
    void freeTextIsScrubbedOfTokensJwsAndLongBase64() {
        String jws = "eyJhbGciOiJFUzI1NiJ9.eyJub25jZSI6IngifQ.c2lnbmF0dXJl";
        String text = Redaction.text("failed for " + jws + " with Bearer sta_secretvalue123 and sts_abcdefghijklmnop "
                + "blob " + "QUJD".repeat(20));
        assertFalse(text.contains(jws), text);
        assertFalse(text.contains("secretvalue"), text);
        assertFalse(text.contains("abcdefghijklmnop"), text);
        assertFalse(text.contains("QUJDQUJD"), text);
        assertTrue(text.contains("failed for"), text);
    }

    @Test
    void ordinaryValuesPassThrough() {
        assertEquals("GET", Redaction.value("method", "GET"));
        assertEquals("/api/v1/stations/me", Redaction.value("route", "/api/v1/stations/me"));
    }
}
