package org.stationtrust.ctk.internal.device;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * When an exchange's request was sent, when the answer's headers arrived (null: none did) and when the
 * answer ended (last body byte, the end of a STREAM, or the moment it was given up). Kept to the
 * millisecond, the precision the report prints, so a check compares exactly what a lab reads.
 */
public record ExchangeTimes(Instant sent, Instant headersReceived, Instant ended) {

    private static final DateTimeFormatter UTC_MILLIS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    public ExchangeTimes {
        sent = Objects.requireNonNull(sent, "sent").truncatedTo(ChronoUnit.MILLIS);
        ended = Objects.requireNonNull(ended, "ended").truncatedTo(ChronoUnit.MILLIS);
        headersReceived = headersReceived == null ? null : headersReceived.truncatedTo(ChronoUnit.MILLIS);
        if (ended.isBefore(sent)) {
            throw new IllegalArgumentException("an exchange cannot end (" + ended + ") before it was sent (" + sent + ")");
        }
        if (headersReceived != null && (headersReceived.isBefore(sent) || headersReceived.isAfter(ended))) {
            throw new IllegalArgumentException("headers received at " + headersReceived + ", outside the exchange "
                    + sent + " - " + ended);
        }
    }

    /** The one way the report writes an instant: UTC ISO 8601 with milliseconds ({@code 2026-01-01T10:00:00.250Z}). */
    public static String utcMillis(Instant instant) {
        return UTC_MILLIS.format(instant);
    }
}
