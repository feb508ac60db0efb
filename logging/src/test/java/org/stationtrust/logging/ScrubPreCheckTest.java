package org.stationtrust.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.stationtrust.testsupport.HostileInputs;

/**
 * {@link Redaction#scrub} skips its patterns when {@link SecretShape} says none can match; these tests hold that the
 * skip never changes an answer, against the full pattern run, on the hostile set and on random text made of the
 * fragments the patterns look for. {@link Redaction#isSensitiveKey} lost its regular expressions the same way and is
 * held against the expressions it replaced.
 */
class ScrubPreCheckTest {
    private static final String[] FRAGMENTS = {"eyJ", "eyj", ".", "..", "-----BEGIN ", "PRIVATE KEY-----", "-----END ",
        "sta_", "sts_", "ste_", "STA_", "Bearer", "BEARER ", "bearer\t", "password", "PassWD", "pin", "PIN", "secret",
        "token", "api_key", "apiKey", "api-key", "=", ":", " = ", ": ", "/", "+", "==", "_", "-", " ", ",", "\"", "'",
        "abcdefgh", "ABCDEFGHIJKLMNOP", "0123456789abcdef", "QUJD", "x", "ſecret", "é", "\u00a0", "\n",
        "/api/v1/attestation/quotes", "e2d678fe551244e8"};

    @Test
    void theHostileSetScrubsTheSameWithAndWithoutThePreCheck() {
        for (HostileInputs.Hostile h : HostileInputs.caughtInText()) {
            assertTrue(SecretShape.mightHoldOne(h.text()), h.name());
            assertEquals(Redaction.scrubAll(h.text()), Redaction.scrub(h.text()), h.name());
        }
    }

    @Test
    void randomTextScrubsTheSameWithAndWithoutThePreCheck() {
        SplittableRandom random = new SplittableRandom(20261206);
        int skipped = 0;
        for (int i = 0; i < 15_000; i++) {
            StringBuilder text = new StringBuilder();
            int parts = 1 + random.nextInt(12);
            for (int p = 0; p < parts; p++) {
                String f = FRAGMENTS[random.nextInt(FRAGMENTS.length)];
                text.append(random.nextInt(4) == 0 ? f.repeat(1 + random.nextInt(6)) : f);
            }
            String s = text.toString();
            assertEquals(Redaction.scrubAll(s), Redaction.scrub(s), s);
            if (!SecretShape.mightHoldOne(s)) {
                skipped++;
            }
        }
        assertTrue(skipped > 700, "the pre-check lets ordinary text through without the patterns: " + skipped);
    }

    @Test
    void ordinaryLogTextNeedsNoPatternRun() {
        for (String s : List.of("/api/v1/attestation/quotes", "e2d678fe551244e8", "POST", "127.0.0.1",
                "attestation recorded for machine 0191f3c2-7d1e-7a4b-9c1e-2f4f6a1b2c3d")) {
            assertFalse(SecretShape.mightHoldOne(s), s);
        }
    }

    @Test
    void keyWordsAreSplitAsTheRegularExpressionsSplitThem() {
        Pattern separators = Pattern.compile("[^A-Za-z0-9]+");
        Pattern camel = Pattern.compile("(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])");
        SplittableRandom random = new SplittableRandom(7);
        String alphabet = "aZbYk9_-. PCRxyeKéſ";
        for (int i = 0; i < 100_000; i++) {
            StringBuilder key = new StringBuilder();
            int n = random.nextInt(14);
            for (int c = 0; c < n; c++) {
                key.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String k = key.toString();
            List<String> expected = new ArrayList<>();
            for (String chunk : separators.split(k)) {
                for (String w : camel.split(chunk)) {
                    if (!w.isEmpty()) {
                        expected.add(w.toLowerCase(java.util.Locale.ROOT));
                    }
                }
            }
            assertEquals(expected, Redaction.words(k), k);
        }
        assertEquals(List.of("pcr", "values"), Redaction.words("PCRValues"));
        assertEquals(List.of("x", "auth", "token"), Redaction.words("X-Auth-Token"));
    }
}
