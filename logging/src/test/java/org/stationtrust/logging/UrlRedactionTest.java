package org.stationtrust.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class UrlRedactionTest {
    @Test
    void aChatWebhookKeepsItsHostAndLeadingPathButNotItsTokenOrQuery() {
        String url = "https://hooks.chat.example:8443/services/T0ABC/B0DEF/xoxbS3cretT0ken?code=qS3cret";
        String shown = UrlRedaction.of(url);
        assertTrue(shown.startsWith("https://hooks.chat.example:8443/services/T0ABC/[redacted]?[redacted] (sha256:"),
                shown);
        assertFalse(shown.contains("S3cret") || shown.contains("B0DEF") || shown.contains("code"), shown);
        assertTrue(shown.endsWith(UrlRedaction.fingerprint(url) + ")"), shown);
        assertEquals(8, UrlRedaction.fingerprint(url).length());
    }

    @Test
    void aShortPathIsWithheldWholeAndTwoUrlsOnOneHostDiffer() {
        assertEquals("http://10.0.0.5/[redacted] (sha256:" + UrlRedaction.fingerprint("http://10.0.0.5/abc123") + ")",
                UrlRedaction.of("http://10.0.0.5/abc123"));
        assertTrue(UrlRedaction.of("https://h.example").startsWith("https://h.example (sha256:"));
        assertNotEquals(UrlRedaction.of("https://h.example/a/tokenOne"), UrlRedaction.of("https://h.example/a/tokenTwo"));
    }

    @Test
    void anErrorMessageLosesTheUrlItsPathAndItsQueryWhereverTheyAppear() {
        String url = "https://hooks.example/services/T0/xoxbS3cret?sig=qS3cret";
        String message = "POST " + url + " failed; retried /services/T0/xoxbS3cret with sig=qS3cret at hooks.example";
        String shown = UrlRedaction.within(message, url);
        assertFalse(shown.contains("S3cret"), shown);
        assertTrue(shown.contains(UrlRedaction.of(url)) && shown.contains("at hooks.example"), shown);
        assertEquals("connection refused", UrlRedaction.within("connection refused", url));
        assertEquals(null, UrlRedaction.within(null, url));
    }

    @Test
    void whatIsNotAUrlIsWithheldWhole() {
        String shown = UrlRedaction.of("not a url with s3cret");
        assertFalse(shown.contains("s3cret"), shown);
        assertTrue(shown.startsWith(Redaction.REDACTED + " (sha256:"), shown);
        assertEquals(Redaction.REDACTED, UrlRedaction.of(null));
    }
}
