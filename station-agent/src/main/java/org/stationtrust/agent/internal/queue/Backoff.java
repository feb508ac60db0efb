package org.stationtrust.agent.internal.queue;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** Exponential backoff with jitter: attempt n waits between half and all of min(max, initial * 2^(n-1)). */
public record Backoff(Duration initial, Duration max) {
    public Backoff {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("backoff must be positive with max >= initial");
        }
    }

    public Duration ceiling(int attempts) {
        long base = initial.toMillis();
        int shift = Math.min(Math.max(attempts - 1, 0), 30);
        long delay = base << shift;
        if (delay <= 0 || delay > max.toMillis()) delay = max.toMillis();
        return Duration.ofMillis(delay);
    }

    /** The wait after {@code attempts} failed attempts (equal jitter, so many stations do not retry in step). */
    public Duration after(int attempts) {
        long ceiling = ceiling(attempts).toMillis();
        long half = ceiling / 2;
        return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(ceiling - half + 1));
    }
}
