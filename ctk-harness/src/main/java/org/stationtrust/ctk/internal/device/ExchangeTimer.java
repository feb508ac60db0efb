package org.stationtrust.ctk.internal.device;

import java.time.Clock;
import java.time.Instant;

/**
 * Times one exchange on one clock: the harness's clock is read once, when the request is sent; the
 * later instants add the monotonic time elapsed since, so they agree with the exchange's elapsed time
 * even when the wall clock is stepped during the exchange. Used by one thread, for one exchange.
 */
public final class ExchangeTimer {
    private final Instant sent;
    private final long startNanos;
    private Instant headersReceived;
    private long endedNanos = -1;

    private ExchangeTimer(Clock clock) {
        this.startNanos = System.nanoTime();
        this.sent = clock.instant();
    }

    public static ExchangeTimer start(Clock clock) {
        return new ExchangeTimer(clock);
    }

    /** Marks the arrival of the answer's headers (the status line and header block). */
    public void headersReceived() {
        headersReceived = sent.plusNanos(System.nanoTime() - startNanos);
    }

    /**
     * How long the exchange took. Ends it now unless it has ended already, so that this and {@link #end}
     * report the same moment whichever is called first.
     */
    public long elapsedNanos() {
        if (endedNanos < 0) {
            endedNanos = System.nanoTime() - startNanos;
        }
        return endedNanos;
    }

    /** The exchange's instants; ends it now unless it has ended already. */
    public ExchangeTimes end() {
        return new ExchangeTimes(sent, headersReceived, sent.plusNanos(elapsedNanos()));
    }
}
