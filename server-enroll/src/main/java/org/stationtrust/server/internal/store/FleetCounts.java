package org.stationtrust.server.internal.store;

import java.util.concurrent.atomic.AtomicReference;
import org.stationtrust.protocol.EnrollmentState;

/**
 * Machine counts for the fleet gauges, read with one grouped query when a scrape asks and at most once per
 * {@code minAgeMillis} (several scrapers, or a scrape per instance, cost one query). The counts cover the whole
 * database, so every instance on one PostgreSQL reports the same figures.
 */
public final class FleetCounts {
    private record Snapshot(long readAtMillis, StateCounts machines, long webhooksPending) {
    }

    private final Database db;
    private final long minAgeMillis;
    private final AtomicReference<Snapshot> last = new AtomicReference<>(new Snapshot(Long.MIN_VALUE / 2,
            StateCounts.EMPTY, 0));

    public FleetCounts(Database db, long minAgeMillis) {
        this.db = db;
        this.minAgeMillis = minAgeMillis;
    }

    /** Reads the counts again unless the last read is younger than the minimum age. */
    public void refresh(long nowMillis) {
        if (nowMillis - last.get().readAtMillis() < minAgeMillis) return;
        StateCounts machines = db.withConnection(StateCounts::read);
        long pending = db.withConnection(c -> Sql.one(c, "SELECT COUNT(*) FROM webhook_deliveries WHERE status = ?",
                rs -> rs.getLong(1), DeliveryStatus.PENDING.name()).orElse(0L));
        last.set(new Snapshot(nowMillis, machines, pending));
    }

    public double inState(EnrollmentState state) {
        return last.get().machines().inState(state);
    }

    public double webhooksPending() {
        return last.get().webhooksPending();
    }

    public double activeWithStatus(AttestationStatus attestationStatus) {
        return last.get().machines().with(EnrollmentState.ACTIVE, attestationStatus);
    }
}
