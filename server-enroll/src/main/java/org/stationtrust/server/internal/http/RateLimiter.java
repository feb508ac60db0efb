package org.stationtrust.server.internal.http;

import java.util.concurrent.ConcurrentHashMap;
import org.stationtrust.protocol.ErrorCode;

/**
 * A token bucket per (bucket name, client key), per server instance. Behind a load balancer each
 * instance limits on its own, which bounds the total at N times the limit.
 */
public final class RateLimiter {
    private final int perMinute;
    private final Runnable onRefusal;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    public RateLimiter(int perMinute) {
        this(perMinute, () -> { });
    }

    /** A limiter that runs {@code onRefusal} (a metric) each time it refuses a request. */
    public RateLimiter(int perMinute, Runnable onRefusal) {
        if (perMinute < 1) throw new IllegalArgumentException("rate limit must be at least 1 per minute");
        this.perMinute = perMinute;
        this.onRefusal = onRefusal;
    }

    private static final class Bucket {
        double tokens;
        long lastNanos;
    }

    /** Takes one token for the key, or throws RATE_LIMITED. */
    public void acquire(String key) {
        if (!tryAcquire(key, System.nanoTime())) {
            onRefusal.run();
            throw new ApiException(ErrorCode.RATE_LIMITED, "Too many requests from this client: the limit is "
                    + perMinute + " per minute; wait and retry");
        }
    }

    /** Whether the key's bucket is empty now; takes nothing, and creates no bucket for a key that has none. */
    public boolean exhausted(String key) {
        Bucket b = buckets.get(key);
        if (b == null) return false;
        long now = System.nanoTime();
        synchronized (b) {
            return Math.min(perMinute, b.tokens + (now - b.lastNanos) / 60e9 * perMinute) < 1;
        }
    }

    /** Takes one token for the key if there is one, without refusing. */
    public void spend(String key) {
        tryAcquire(key, System.nanoTime());
    }

    boolean tryAcquire(String key, long nowNanos) {
        if (buckets.size() > 100_000) buckets.clear();
        Bucket b = buckets.computeIfAbsent(key, k -> {
            Bucket nb = new Bucket();
            nb.tokens = perMinute;
            nb.lastNanos = nowNanos;
            return nb;
        });
        synchronized (b) {
            double refill = (nowNanos - b.lastNanos) / 60e9 * perMinute;
            b.tokens = Math.min(perMinute, b.tokens + refill);
            b.lastNanos = nowNanos;
            if (b.tokens < 1) return false;
            b.tokens -= 1;
            return true;
        }
    }
}
