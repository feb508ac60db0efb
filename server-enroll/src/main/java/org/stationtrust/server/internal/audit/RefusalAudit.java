package org.stationtrust.server.internal.audit;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Refusals of requests nobody authenticated are counted, not written one by one: one audit row per (reason,
 * source address, minute) once that minute is over, saying how many there were. A flood of anonymous requests
 * therefore adds at most {@link #MAX_SOURCES_PER_MINUTE} rows per reason and minute to the audit chain (further
 * addresses in that minute are counted together as {@link #OTHER_SOURCES}), instead of one row each, and cannot
 * push the operators' real decisions out of the audit page. Refusals of authenticated callers (operators,
 * stations) stay one row each.
 */
public final class RefusalAudit {
    public static final int MAX_SOURCES_PER_MINUTE = 256;
    public static final String OTHER_SOURCES = "(further addresses)";
    public static final String ACTION = "refused.anonymous";

    private record Key(long minute, String reason, String source) {
    }

    private static final class Count {
        final LongAdder n = new LongAdder();
        final String firstRoute;

        Count(String firstRoute) {
            this.firstRoute = firstRoute;
        }
    }

    private final AuditLog audit;
    private final ConcurrentHashMap<Key, Count> counts = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Long, LongAdder> sourcesPerMinute = new ConcurrentHashMap<>();

    public RefusalAudit(AuditLog audit) {
        this.audit = audit;
    }

    /** Counts one anonymous refusal: {@code reason} is the error code, {@code route} e.g. "POST /api/v1/...". */
    public void refused(String source, String reason, String route) {
        long minute = System.currentTimeMillis() / 60_000;
        Key key = new Key(minute, reason, source);
        Count count = counts.get(key);
        if (count == null) {
            LongAdder sources = sourcesPerMinute.computeIfAbsent(minute, m -> new LongAdder());
            if (sources.sum() >= MAX_SOURCES_PER_MINUTE) key = new Key(minute, reason, OTHER_SOURCES);
            else sources.increment();
            count = counts.computeIfAbsent(key, k -> new Count(route));
        }
        count.n.increment();
    }

    /**
     * Writes one audit row per aggregate of a minute that is over (or of every minute, when {@code all}, e.g. at
     * shutdown); returns the rows written.
     */
    public int flush(boolean all) {
        long current = System.currentTimeMillis() / 60_000;
        List<Map.Entry<Key, Count>> due = new ArrayList<>();
        for (Map.Entry<Key, Count> e : counts.entrySet()) {
            if (all || e.getKey().minute() < current) due.add(e);
        }
        due.sort(Map.Entry.comparingByKey(java.util.Comparator.comparingLong(Key::minute)
                .thenComparing(Key::reason).thenComparing(Key::source)));
        int rows = 0;
        for (Map.Entry<Key, Count> e : due) {
            Key k = e.getKey();
            if (counts.remove(k) == null) continue;
            long n = e.getValue().n.sum();
            audit.append("anonymous@" + k.source(), ACTION, k.reason(), AuditOutcome.REFUSED,
                    n + " anonymous request(s) refused "
                    + k.reason() + " from " + k.source() + " in the minute from " + Instant.ofEpochMilli(k.minute() * 60_000)
                    + " (first: " + e.getValue().firstRoute + ")");
            rows++;
        }
        sourcesPerMinute.keySet().removeIf(m -> all || m < current);
        return rows;
    }

    /** Anonymous refusals counted and not yet written. */
    public long pending() {
        return counts.values().stream().mapToLong(c -> c.n.sum()).sum();
    }
}
