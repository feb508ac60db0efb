package org.stationtrust.server.internal.audit;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;
import org.stationtrust.protocol.ErrorCode;
import org.stationtrust.server.internal.http.ApiException;

/**
 * Bounds full audit-chain verifications (cost linear in the chain, a read of every row): at most one at a time per
 * server instance, and one per operator every {@link #PER_OPERATOR_INTERVAL}; the others are refused at once with
 * {@code 429 rate_limited} and a {@code Retry-After} (docs/server-api.md, "Rate limits"). The incremental check is
 * not bounded: it costs the rows added since the last one.
 */
public final class FullVerificationGate {
    /** The least time between two full verifications started by one operator (API and console together). */
    public static final Duration PER_OPERATOR_INTERVAL = Duration.ofSeconds(30);
    /** What a caller refused because another full verification runs is told to wait. */
    public static final Duration BUSY_RETRY = Duration.ofSeconds(5);

    private final AuditLog audit;
    private final Semaphore running = new Semaphore(1);
    /** Operator name to the wall-clock millisecond their last admitted full verification started. */
    private final ConcurrentHashMap<String, Long> lastStart = new ConcurrentHashMap<>();

    public FullVerificationGate(AuditLog audit) {
        this.audit = audit;
    }

    /** A full verification for {@code operator}, or {@code 429 rate_limited} saying when to retry. */
    public AuditChainReport verify(String operator) {
        return run(operator, audit::verify);
    }

    /** Runs {@code walk} under both bounds (package-private so a test can hold a run open). */
    <T> T run(String operator, Supplier<T> walk) {
        long now = System.currentTimeMillis();
        Long previous = reserve(operator, now);
        if (!running.tryAcquire()) {
            release(operator, now, previous);
            throw new ApiException(ErrorCode.RATE_LIMITED, "Another full audit-chain verification is running on "
                    + "this server (one at a time): retry in " + BUSY_RETRY.toSeconds() + " s, or use the incremental "
                    + "check (without full), which is not limited", BUSY_RETRY.toSeconds());
        }
        try {
            return walk.get();
        } finally {
            running.release();
        }
    }

    /** Records the operator's start now, or refuses when their previous one started less than the interval ago. */
    private Long reserve(String operator, long now) {
        if (lastStart.size() > 10_000) lastStart.clear();
        Long[] previous = new Long[1];
        long[] wait = new long[1];
        lastStart.compute(operator, (k, last) -> {
            previous[0] = last;
            long left = last == null ? 0 : last + PER_OPERATOR_INTERVAL.toMillis() - now;
            if (left > 0) {
                wait[0] = left;
                return last;
            }
            return now;
        });
        if (wait[0] > 0) {
            long seconds = Math.max(1, (wait[0] + 999) / 1000);
            throw new ApiException(ErrorCode.RATE_LIMITED, "You started a full audit-chain verification less than "
                    + PER_OPERATOR_INTERVAL.toSeconds() + " s ago (one per operator every "
                    + PER_OPERATOR_INTERVAL.toSeconds() + " s): retry in " + seconds + " s", seconds);
        }
        return previous[0];
    }

    /** Gives back a reservation that did not run, so a refusal for a busy server does not cost the interval. */
    private void release(String operator, long reservedAt, Long previous) {
        lastStart.computeIfPresent(operator, (k, last) -> last != reservedAt ? last : previous);
    }
}
