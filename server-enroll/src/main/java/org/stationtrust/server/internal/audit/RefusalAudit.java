package org.stationtrust.server.internal.audit;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;

/**
 * Refusals of requests nobody authenticated are counted, not written one by one: one audit row per (reason,
 * minute) once that minute is over, saying how many there were, from how many source addresses, and the
 * {@link #TOP_SOURCES} busiest of them. However many addresses a flood comes from, it adds at most one row per
 * reason and minute to the audit chain (the reasons are the error codes, a closed set), and the audit page shows
 * these rows apart from the operators' real decisions. Refusals of authenticated callers (operators, stations)
 * stay one row each.
 */
public final class RefusalAudit {
    /** Sources told apart per reason and minute (memory bound); further ones are counted together. */
    public static final int MAX_SOURCES_PER_MINUTE = 4096;
    public static final int TOP_SOURCES = 5;
    public static final String ACTION = "refused.anonymous";

    private record Key(long minute, String reason) {
    }

    /** One reason's refusals within one minute. */
    private static final class Count {
        final LongAdder n = new LongAdder();
        final ConcurrentHashMap<String, LongAdder> sources = new ConcurrentHashMap<>();
        final LongAdder untold = new LongAdder();
        final String firstRoute;

        Count(String firstRoute) {
            this.firstRoute = firstRoute;
        }

        void add(String source) {
            n.increment();
            LongAdder bySource = sources.get(source);
            if (bySource == null && sources.size() >= MAX_SOURCES_PER_MINUTE) {
                untold.increment();
                return;
            }
            (bySource != null ? bySource : sources.computeIfAbsent(source, s -> new LongAdder())).increment();
        }

        String detail(Key k) {
            String top = sources.entrySet().stream()
                    .sorted(Map.Entry.<String, LongAdder>comparingByValue(Comparator.comparingLong(LongAdder::sum))
                            .reversed().thenComparing(Map.Entry.comparingByKey()))
                    .limit(TOP_SOURCES).map(e -> e.getKey() + " " + e.getValue().sum()).collect(Collectors.joining(", "));
            long untoldCount = untold.sum();
            return n.sum() + " anonymous request(s) refused " + k.reason() + " in the minute from "
                    + Instant.ofEpochMilli(k.minute() * 60_000) + " from " + sources.size()
                    + (untoldCount > 0 ? "+ source(s) (" + untoldCount + " refusals from sources not told apart)"
                    : " source(s)") + "; most: " + top + " (first: " + firstRoute + ")";
        }
    }

    private final AuditLog audit;
    private final ConcurrentHashMap<Key, Count> counts = new ConcurrentHashMap<>();

    public RefusalAudit(AuditLog audit) {
        this.audit = audit;
    }

    /** Counts one anonymous refusal: {@code reason} is the error code, {@code route} e.g. "POST /api/v1/...". */
    public void refused(String source, String reason, String route) {
        Key key = new Key(System.currentTimeMillis() / 60_000, reason);
        counts.computeIfAbsent(key, k -> new Count(route)).add(source);
    }

    /**
     * Writes one audit row per reason of a minute that is over (or of every minute, when {@code all}, e.g. at
     * shutdown); returns the rows written.
     */
    public int flush(boolean all) {
        long current = System.currentTimeMillis() / 60_000;
        List<Key> due = new ArrayList<>();
        for (Key k : counts.keySet()) {
            if (all || k.minute() < current) due.add(k);
        }
        due.sort(Comparator.comparingLong(Key::minute).thenComparing(Key::reason));
        int rows = 0;
        for (Key k : due) {
            Count c = counts.remove(k);
            if (c == null) continue;
            audit.append("anonymous", ACTION, k.reason(), AuditOutcome.REFUSED, c.detail(k));
            rows++;
        }
        return rows;
    }

    /** Anonymous refusals counted and not yet written. */
    public long pending() {
        return counts.values().stream().mapToLong(c -> c.n.sum()).sum();
    }
}
