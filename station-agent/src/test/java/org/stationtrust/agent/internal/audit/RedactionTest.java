package org.stationtrust.agent.internal.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RedactionTest {
    @Test
    void redactsFieldsNamedLikeSecretsOrBiometrics() {
        Map<String, Object> safe = Redaction.fields(Map.of("bioValue", "x", "data", "y", "enrollmentToken", "z",
                "machineKeySignature", "s", "modality", "Finger", "nested", Map.of("privateKey", "k", "count", 4)));
        assertEquals(Redaction.REDACTED, safe.get("bioValue"));
        assertEquals(Redaction.REDACTED, safe.get("data"));
        assertEquals(Redaction.REDACTED, safe.get("enrollmentToken"));
        assertEquals(Redaction.REDACTED, safe.get("machineKeySignature"));
        assertEquals("Finger", safe.get("modality"));
        assertEquals(Map.of("privateKey", Redaction.REDACTED, "count", 4), safe.get("nested"));
    }

    @Test
    void scrubsJwsBearerTokensAndBase64ButKeepsDigests() {
        String digest = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
        String text = Redaction.scrub("Authorization: Bearer s3cr3t-token packet=eyJhbGciOiJFUzI1NiJ9.eyJ4IjoxfQ.MEUCIQDabcdefgh "
                + "image=" + "QUJD".repeat(20) + " hash=" + digest);
        assertFalse(text.contains("s3cr3t-token"));
        assertFalse(text.contains("eyJhbGciOiJFUzI1NiJ9"));
        assertFalse(text.contains("QUJDQUJD"));
        assertTrue(text.contains(digest), "a SHA-256 digest is not a secret");
    }

    @Test
    void everyLogLineGoesThroughTheRedactingConverter() {
        LoggerContext context = new LoggerContext();
        LoggingEvent event = new LoggingEvent("test", context.getLogger("x"), Level.INFO,
                "token is Bearer abcdef and value {}", null, new Object[] {"QUJD".repeat(20)});
        RedactingMessageConverter converter = new RedactingMessageConverter();
        String line = converter.convert(event);
        assertEquals(List.of(), List.of(line.contains("abcdef") ? "token leaked" : "", line.contains("QUJDQUJD") ? "value leaked" : "")
                .stream().filter(s -> !s.isEmpty()).toList(), line);
    }
}
