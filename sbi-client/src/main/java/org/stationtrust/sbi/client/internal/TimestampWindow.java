package org.stationtrust.sbi.client.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.stationtrust.logging.Redaction;
import org.stationtrust.sbi.client.DeviceAnswerRejected;
import org.stationtrust.sbi.client.RejectionReason;
import org.stationtrust.sbi.client.SbiTimestamp;

/**
 * The one place a device timestamp (capture {@code timestamp}, digitalId {@code dateTime}) is read and held to
 * the allowed skew around the station clock: an old one is what a replayed answer looks like.
 */
public final class TimestampWindow {
    private final Duration allowedSkew;
    private final Clock clock;

    public TimestampWindow(Duration allowedSkew, Clock clock) {
        this.allowedSkew = Objects.requireNonNull(allowedSkew, "allowedSkew");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Parses {@code value} (SBI form, UTC) and checks it lies within the skew of now. */
    public Instant check(String value, String what) throws DeviceAnswerRejected {
        Instant ts = SbiTimestamp.parseUtc(value).orElseThrow(() -> Json.malformed(what + " '"
                + Redaction.deviceText(value) + "' is not " + SbiTimestamp.expectedForm()));
        Instant now = clock.instant();
        if (ts.isBefore(now.minus(allowedSkew))) {
            throw new DeviceAnswerRejected(RejectionReason.TIMESTAMP_TOO_OLD, what + " " + ts
                    + " is more than " + allowedSkew.toSeconds() + " s before now (" + now + ")");
        }
        if (ts.isAfter(now.plus(allowedSkew))) {
            throw new DeviceAnswerRejected(RejectionReason.TIMESTAMP_IN_FUTURE, what + " " + ts
                    + " is more than " + allowedSkew.toSeconds() + " s after now (" + now + ")");
        }
        return ts;
    }
}
