package org.stationtrust.sbi.client;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * The one reading of an SBI timestamp (capture {@code timestamp}, digitalId {@code dateTime}) shared by the
 * station and the compliance harness, so a device the harness passes is never refused by a station for its
 * clock format, and the reverse: ISO 8601 with seconds, optional fraction, and a UTC offset written as
 * {@code Z}, {@code +00:00} or {@code +0000}. Any other offset is refused: docs/sbi-protocol.md asks for UTC, and a
 * local offset is the classic sign of a device clock set by hand.
 */
public final class SbiTimestamp {
    /** Longer than any valid form (35 characters with nanoseconds and an offset); bounds the parse. */
    static final int MAX_LENGTH = 64;

    private SbiTimestamp() {
    }

    /** The instant, or empty when the text is missing, too long, not ISO 8601, or not in UTC. */
    public static Optional<Instant> parseUtc(String text) {
        if (text == null || text.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        String t = text.trim();
        if (t.matches(".*[+-]\\d{4}")) {
            t = t.substring(0, t.length() - 2) + ":" + t.substring(t.length() - 2);
        }
        try {
            OffsetDateTime odt = OffsetDateTime.parse(t, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
            return odt.getOffset().equals(ZoneOffset.UTC) ? Optional.of(odt.toInstant()) : Optional.empty();
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** What {@link #parseUtc} accepts, for error messages. */
    public static String expectedForm() {
        return "ISO 8601 in UTC: yyyy-MM-ddTHH:mm:ss[.SSS] followed by Z, +00:00 or +0000";
    }
}
