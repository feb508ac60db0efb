package org.stationtrust.ctk.internal.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class FindingTest {

    @Test
    void aMessageQuotingHugeDeviceTextIsCutAndSaysHowMuch() {
        Finding f = Finding.of("digital-id", List.of("type '" + "T".repeat(50_000) + "' is not Finger"), "ok");
        assertTrue(f.failed());
        assertTrue(f.message().length() < Finding.MAX_MESSAGE + 40, f.message().length() + " chars");
        assertTrue(f.message().endsWith("more chars cut)"), f.message().substring(Finding.MAX_MESSAGE));
    }

    @Test
    void listsAtMostFiveProblemsAndCountsTheRest() {
        Finding f = Finding.of("echo", List.of("a", "b", "c", "d", "e", "f", "g"), "ok");
        assertEquals("a; b; c; d; e (+2 more)", f.message());
        assertEquals(Finding.Status.PASS, Finding.of("echo", List.of(), "all echoed").status());
    }
}
