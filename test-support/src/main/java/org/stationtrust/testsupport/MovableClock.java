package org.stationtrust.testsupport;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A UTC clock a test moves while the code under test reads it from its own threads: either frozen at an
 * instant and stepped forward (backoff, expiry and linger pass without sleeping), or the real time shifted by an
 * offset (a station clock set wrong, then right again).
 */
public final class MovableClock extends Clock {
    private final Instant frozenAt;
    private volatile Duration offset = Duration.ZERO;

    private MovableClock(Instant frozenAt) {
        this.frozenAt = frozenAt;
    }

    /** Time stands at {@code start} until {@link #advance} moves it. */
    public static MovableClock frozenAt(Instant start) {
        return new MovableClock(start);
    }

    /** Time stands at the moment of this call until {@link #advance} moves it. */
    public static MovableClock frozenNow() {
        return new MovableClock(Instant.now());
    }

    /** The real time, plus whatever offset {@link #shiftTo} sets. */
    public static MovableClock realTime() {
        return new MovableClock(null);
    }

    public void advance(Duration step) {
        offset = offset.plus(step);
    }

    /** Moves the clock to {@code instant} (frozen clocks), by setting the offset from the start. */
    public void set(Instant instant) {
        if (frozenAt == null) {
            throw new IllegalStateException("a real-time clock is shifted with shiftTo, not set");
        }
        offset = Duration.between(frozenAt, instant);
    }

    public void shiftTo(Duration newOffset) {
        offset = newOffset;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        return (frozenAt != null ? frozenAt : Instant.now()).plus(offset);
    }
}
