package org.stationtrust.server.internal.store;

import java.util.List;
import java.util.Optional;
import org.stationtrust.server.internal.audit.AuditLog;
import org.stationtrust.server.internal.audit.AuditOutcome;

/**
 * Audit events stations deliver from their own logs, kept per (machine, event id) so a resend is recognised;
 * each batch leaves one summary row in the server's own audit chain, in the same transaction.
 */
public final class StationAuditStore {
    private final Database db;

    public StationAuditStore(Database db) {
        this.db = db;
    }

    /** One station event as stored; {@code fields} is its JSON object text. */
    public record StationEvent(String eventId, String occurredAt, String event, String fields, String sha256) {
    }

    public record Stored(StationEvent event, long receivedAt) {
    }

    /** What a batch did: new rows, resends recognised, and ids already held with other content. */
    public record Outcome(int received, int duplicates, List<String> conflicts) {
        public Outcome {
            conflicts = List.copyOf(conflicts); // SpotBugs EI_EXPOSE_REP: the caller's list is not kept
        }
    }

    /**
     * Stores the batch and audits its summary atomically. Ids already held with the same digest are duplicates;
     * with another digest they are conflicts, and then nothing of the batch is stored.
     */
    public Outcome receive(String machineId, List<StationEvent> events, AuditLog audit) {
        return db.inTransaction(c -> {
            int received = 0;
            int duplicates = 0;
            List<String> conflicts = new java.util.ArrayList<>();
            java.util.TreeSet<String> kinds = new java.util.TreeSet<>();
            long now = System.currentTimeMillis();
            for (StationEvent e : events) {
                int n = Sql.update(c, "INSERT INTO station_audit_events (machine_id, event_id, occurred_at, event, fields, "
                        + "sha256, received_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (machine_id, event_id) DO NOTHING",
                        machineId, e.eventId(), e.occurredAt(), e.event(), e.fields(), e.sha256(), now);
                if (n == 1) {
                    received++;
                    kinds.add(e.event());
                    continue;
                }
                Optional<String> earlier = Sql.one(c, "SELECT sha256 FROM station_audit_events WHERE machine_id = ? AND "
                        + "event_id = ?", rs -> rs.getString(1), machineId, e.eventId());
                if (earlier.isPresent() && earlier.get().equals(e.sha256())) duplicates++;
                else conflicts.add(e.eventId());
            }
            if (!conflicts.isEmpty()) {
                c.rollback();
                return new Outcome(0, duplicates, List.copyOf(conflicts));
            }
            audit.append(c, "station:" + machineId, "station_audit.received", machineId, AuditOutcome.OK,
                    received + " new event(s) "
                    + kinds + ", " + duplicates + " resent");
            return new Outcome(received, duplicates, List.of());
        });
    }

    /** The newest events of one machine first (by the station's time), at most {@code limit} (1..1000). */
    /** A page of a machine's events, newest first by the station's clock, and the next page's cursor (null: last). */
    public record Page(List<Stored> rows, MachineSearch.Cursor next) {
        public Page {
            rows = List.copyOf(rows);
        }
    }

    /**
     * Up to {@code size} (1..1000) events of one machine after the cursor (null: from the newest), by keyset on
     * (occurred_at, event_id): events delivered while a client pages with later times never repeat in its walk.
     */
    public Page page(String machineId, MachineSearch.Cursor after, int size) {
        int n = Math.max(1, Math.min(size, 1000));
        Sql.Row<Stored> row = rs -> new Stored(new StationEvent(rs.getString("event_id"), rs.getString("occurred_at"),
                rs.getString("event"), rs.getString("fields"), rs.getString("sha256")), rs.getLong("received_at"));
        // no sentinel text for the first page: PostgreSQL compares text by the database's collation
        List<Stored> rows = db.withConnection(c -> after == null
                ? Sql.query(c, "SELECT * FROM station_audit_events WHERE machine_id = ? ORDER BY occurred_at DESC, "
                        + "event_id DESC LIMIT ?", row, machineId, n + 1)
                : Sql.query(c, "SELECT * FROM station_audit_events WHERE machine_id = ? AND (occurred_at, event_id) < "
                        + "(?, ?) ORDER BY occurred_at DESC, event_id DESC LIMIT ?", row, machineId, after.key(),
                        after.id(), n + 1));
        if (rows.size() <= n) return new Page(rows, null);
        StationEvent last = rows.get(n - 1).event();
        return new Page(rows.subList(0, n), new MachineSearch.Cursor(last.occurredAt(), last.eventId()));
    }

    public long count(String machineId) {
        return db.withConnection(c -> Sql.one(c, "SELECT COUNT(*) AS n FROM station_audit_events WHERE machine_id = ?",
                rs -> rs.getLong("n"), machineId).orElse(0L));
    }
}
