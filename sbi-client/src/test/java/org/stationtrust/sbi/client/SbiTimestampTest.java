package org.stationtrust.sbi.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SbiTimestampTest {

    @ParameterizedTest
    @ValueSource(strings = {"2026-01-01T10:00:00Z", "2026-01-01T10:00:00.123Z", "2026-01-01T10:00:00.123456789Z",
            "2026-01-01T10:00:00+00:00", "2026-01-01T10:00:00.5+0000", " 2026-01-01T10:00:00Z "})
    void everyUtcSpellingReadsAsTheSameKindOfInstant(String text) {
        Instant parsed = SbiTimestamp.parseUtc(text).orElseThrow(() -> new AssertionError("refused " + text));
        assertEquals(Instant.parse("2026-01-01T10:00:00Z").getEpochSecond(), parsed.getEpochSecond(), text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-01-01T10:00:00+05:30", "2026-01-01T10:00:00-0800", "2026-01-01T10:00:00",
            "2026-01-01 10:00:00Z", "2026-13-01T10:00:00Z", "yesterday", "", "+0000"})
    void localOffsetsMissingOffsetsAndNonIsoTextAreRefused(String text) {
        assertTrue(SbiTimestamp.parseUtc(text).isEmpty(), text);
    }

    @Test
    void missingAndOversizedTextIsRefusedWithoutParsing() {
        assertTrue(SbiTimestamp.parseUtc(null).isEmpty());
        assertTrue(SbiTimestamp.parseUtc("2026-01-01T10:00:00" + "0".repeat(SbiTimestamp.MAX_LENGTH) + "Z").isEmpty());
    }
}
