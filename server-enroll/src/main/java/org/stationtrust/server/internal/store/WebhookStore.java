package org.stationtrust.server.internal.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Webhooks and their delivery outbox. A delivery is PENDING until a 2xx answer (DELIVERED) or until it is given up
 * (FAILED). Sending is guarded by a lease: {@link #claim} takes a due delivery for one owner until a deadline with a
 * conditional update, so two instances (or two threads) never hold the same delivery at once; a holder that dies
 * leaves the lease to expire and the delivery is sent again (at least once).
 */
public final class WebhookStore {
    private static final String PENDING = DeliveryStatus.PENDING.name(), DELIVERED = DeliveryStatus.DELIVERED.name(),
            FAILED = DeliveryStatus.FAILED.name();
    private final Database db;

    public WebhookStore(Database db) {
        this.db = db;
    }

    public record Webhook(String id, String url, String events, String secret, String createdBy, long createdAt,
                          Long disabledAt) {
        /** Whether the webhook still receives events. */
        public enum Status { ENABLED, DISABLED }

        public Status status() {
            return disabledAt == null ? Status.ENABLED : Status.DISABLED;
        }

        static Webhook from(ResultSet rs) throws SQLException {
            return new Webhook(rs.getString("id"), rs.getString("url"), rs.getString("events"), rs.getString("secret"),
                    rs.getString("created_by"), rs.getLong("created_at"), Sql.nullableLong(rs, "disabled_at"));
        }
    }

    public record Delivery(String id, String webhookId, String eventId, String event, String machineId, String body,
                           long createdAt, DeliveryStatus status, int attempts, long nextAttemptAt, String leaseOwner,
                           Long leaseUntil, Long lastAttemptAt, Integer lastStatus, String lastError, Long deliveredAt) {
        static Delivery from(ResultSet rs) throws SQLException {
            int last = rs.getInt("last_status");
            Integer lastStatus = rs.wasNull() ? null : last;
            return new Delivery(rs.getString("id"), rs.getString("webhook_id"), rs.getString("event_id"),
                    rs.getString("event"), rs.getString("machine_id"), rs.getString("body"), rs.getLong("created_at"),
                    DeliveryStatus.parse(rs.getString("status")), rs.getInt("attempts"), rs.getLong("next_attempt_at"),
                    rs.getString("lease_owner"), Sql.nullableLong(rs, "lease_until"),
                    Sql.nullableLong(rs, "last_attempt_at"), lastStatus, rs.getString("last_error"),
                    Sql.nullableLong(rs, "delivered_at"));
        }
    }

    public void create(Webhook w) {
        db.write(c -> Sql.update(c, "INSERT INTO webhooks (id, url, events, secret, created_by, created_at) VALUES "
                + "(?, ?, ?, ?, ?, ?)", w.id(), w.url(), w.events(), w.secret(), w.createdBy(), w.createdAt()));
    }

    public boolean disable(String id, long now) {
        return db.write(c -> Sql.update(c, "UPDATE webhooks SET disabled_at = ? WHERE id = ? AND disabled_at IS NULL",
                now, id)) == 1;
    }

    public List<Webhook> list() {
        return db.withConnection(c -> Sql.query(c, "SELECT * FROM webhooks ORDER BY created_at DESC LIMIT 200",
                Webhook::from));
    }

    public Optional<Webhook> find(String id) {
        return db.withConnection(c -> Sql.one(c, "SELECT * FROM webhooks WHERE id = ?", Webhook::from, id));
    }

    /** Webhooks not disabled, read in the caller's transaction (the event's own). */
    public List<Webhook> enabled(Connection c) throws SQLException {
        return Sql.query(c, "SELECT * FROM webhooks WHERE disabled_at IS NULL", Webhook::from);
    }

    /** Queues one delivery in the caller's transaction, due at once. */
    public void enqueue(Connection c, String id, String webhookId, String eventId, String event, String machineId,
                        String body, long now) throws SQLException {
        Sql.update(c, "INSERT INTO webhook_deliveries (id, webhook_id, event_id, event, machine_id, body, created_at, "
                + "status, attempts, next_attempt_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?)", id, webhookId, eventId,
                event, machineId, body, now, PENDING, now);
    }

    /**
     * Leases up to {@code max} due deliveries to {@code owner} until {@code leaseUntil}: each by a conditional update
     * that only one claimant can win (the row must still be pending and unleased or past its lease).
     */
    public List<Delivery> claim(String owner, long now, long leaseUntil, int max) {
        List<String> due = db.withConnection(c -> Sql.query(c, "SELECT id FROM webhook_deliveries WHERE status = ? AND "
                + "next_attempt_at <= ? AND (lease_until IS NULL OR lease_until < ?) ORDER BY next_attempt_at LIMIT ?",
                rs -> rs.getString(1), PENDING, now, now, max));
        List<Delivery> won = new ArrayList<>();
        for (String id : due) {
            boolean mine = db.write(c -> Sql.update(c, "UPDATE webhook_deliveries SET lease_owner = ?, lease_until = ? "
                    + "WHERE id = ? AND status = ? AND (lease_until IS NULL OR lease_until < ?)", owner, leaseUntil, id,
                    PENDING, now)) == 1;
            if (mine) delivery(id).ifPresent(won::add);
        }
        return won;
    }

    public Optional<Delivery> delivery(String id) {
        return db.withConnection(c -> Sql.one(c, "SELECT * FROM webhook_deliveries WHERE id = ?", Delivery::from, id));
    }

    /** Records a 2xx answer; false when the lease was lost meanwhile (another owner holds or finished it). */
    public boolean delivered(String id, String owner, long now, int status) {
        return db.write(c -> Sql.update(c, "UPDATE webhook_deliveries SET status = ?, attempts = attempts + 1, "
                + "delivered_at = ?, last_attempt_at = ?, last_status = ?, last_error = NULL, lease_owner = NULL, "
                + "lease_until = NULL WHERE id = ? AND lease_owner = ? AND status = ?", DELIVERED, now, now, status, id,
                owner, PENDING)) == 1;
    }

    /** Records a failed attempt: due again at {@code nextAttemptAt}, or FAILED (given up) when that is null. */
    public boolean failed(String id, String owner, long now, Integer status, String error, Long nextAttemptAt) {
        String clipped = error == null ? null : error.length() > 300 ? error.substring(0, 300) : error;
        return db.write(c -> Sql.update(c, "UPDATE webhook_deliveries SET status = ?, attempts = attempts + 1, "
                + "last_attempt_at = ?, last_status = ?, last_error = ?, next_attempt_at = ?, lease_owner = NULL, "
                + "lease_until = NULL WHERE id = ? AND lease_owner = ? AND status = ?",
                nextAttemptAt == null ? FAILED : PENDING, now, status, clipped, nextAttemptAt == null ? now
                        : nextAttemptAt, id, owner, PENDING)) == 1;
    }

    /** The delivery log, newest first. */
    public List<Delivery> recent(int limit) {
        return db.withConnection(c -> Sql.query(c, "SELECT * FROM webhook_deliveries ORDER BY created_at DESC, id DESC "
                + "LIMIT ?", Delivery::from, limit));
    }

    public long pending() {
        return db.withConnection(c -> Sql.one(c, "SELECT COUNT(*) FROM webhook_deliveries WHERE status = ?",
                rs -> rs.getLong(1), PENDING).orElse(0L));
    }
}
