package org.stationtrust.server.internal.store;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.stationtrust.protocol.EnrollmentState;

/**
 * Machine counts for the fleet gauges, read with one grouped query when a scrape asks and at most once per
 * {@code minAgeMillis} (several scrapers, or a scrape per instance, cost one query). The counts cover the whole
 * database, so every instance on one PostgreSQL reports the same figures.
 */
public final class FleetCounts {
    /** The attestation statuses a machine row can carry (NONE before the first quote). */
    public static final List<String> ATTESTATION_STATUSES = List.of("OK", "FAILED", "NONE", "OVERDUE");

    private record Snapshot(long readAtMillis, Map<String, Long> byStateAndStatus, long webhooksPending) {
    }

    private final Database db;
    private final long minAgeMillis;
    private final AtomicReference<Snapshot> last = new AtomicReference<>(new Snapshot(Long.MIN_VALUE / 2, Map.of(), 0));

    public FleetCounts(Database db, long minAgeMillis) {
        this.db = db;
        this.minAgeMillis = minAgeMillis;
    }

    /** Reads the counts again unless the last read is younger than the minimum age. */
    public void refresh(long nowMillis) {
        if (nowMillis - last.get().readAtMillis() < minAgeMillis) return;
        Map<String, Long> counts = new java.util.HashMap<>();
        db.withConnection(c -> Sql.query(c, "SELECT state, attestation_status, COUNT(*) FROM machines GROUP BY state, "
                + "attestation_status", rs -> counts.put(rs.getString(1) + "/" + rs.getString(2), rs.getLong(3))));
        long pending = db.withConnection(c -> Sql.one(c, "SELECT COUNT(*) FROM webhook_deliveries WHERE status = ?",
                rs -> rs.getLong(1), WebhookStore.PENDING).orElse(0L));
        last.set(new Snapshot(nowMillis, Map.copyOf(counts), pending));
    }

    public double inState(EnrollmentState state) {
        String prefix = state.name() + "/";
        return last.get().byStateAndStatus().entrySet().stream().filter(e -> e.getKey().startsWith(prefix))
                .mapToLong(Map.Entry::getValue).sum();
    }

    public double webhooksPending() {
        return last.get().webhooksPending();
    }

    public double activeWithStatus(String attestationStatus) {
        return last.get().byStateAndStatus().getOrDefault(EnrollmentState.ACTIVE.name() + "/" + attestationStatus, 0L);
    }
}
