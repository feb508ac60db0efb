package org.stationtrust.agent.internal.queue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;
import org.stationtrust.agent.internal.atrest.PayloadCipher;

/**
 * The offline queue: every packet and audit event bound for the server is written here (encrypted)
 * before any attempt to send it, and removed only once the server acknowledged it. Each row has an
 * idempotency key chosen at enqueue time and reused on every retry, so a lost reply or a crash after
 * sending leads to a resend the server recognises, never to a loss or a duplicate.
 */
public final class OutboundQueue implements AutoCloseable {
    private final Connection db;
    private final PayloadCipher cipher;
    private final Clock clock;
    private final Backoff backoff;
    private final Object signal = new Object();
    /** Set by {@link #wake} so a wake-up between the courier's last look and its wait is not lost. */
    private boolean woken;
    /**
     * Until when ({@link System#nanoTime}, so a wall clock stepped back does not prolong it) the whole queue waits after
     * a transient failure; null: not held. In memory: a restart tries the oldest message at once, then backs off again.
     */
    private Long heldUntilNanos;

    private OutboundQueue(Connection db, PayloadCipher cipher, Clock clock, Backoff backoff) {
        this.db = db;
        this.cipher = cipher;
        this.clock = clock;
        this.backoff = backoff;
    }

    public static OutboundQueue open(Path file, PayloadCipher cipher, Clock clock, Backoff backoff) throws IOException {
        if (!Files.exists(file)) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        try {
            Connection db = DriverManager.getConnection("jdbc:sqlite:" + file);
            try (Statement s = db.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
                s.execute("PRAGMA synchronous=FULL");
                s.execute("PRAGMA busy_timeout=5000");
                s.execute("""
                        CREATE TABLE IF NOT EXISTS outbox (
                          seq INTEGER PRIMARY KEY AUTOINCREMENT,
                          idempotency_key TEXT NOT NULL UNIQUE,
                          kind TEXT NOT NULL,
                          path TEXT NOT NULL,
                          sealed BLOB NOT NULL,
                          created_at INTEGER NOT NULL,
                          attempts INTEGER NOT NULL DEFAULT 0,
                          next_attempt_at INTEGER NOT NULL,
                          last_error TEXT,
                          parked INTEGER NOT NULL DEFAULT 0)""");
            }
            return new OutboundQueue(db, cipher, clock, backoff);
        } catch (SQLException e) {
            throw new IOException("cannot open the offline queue " + file + ": " + e.getMessage(), e);
        }
    }

    /** Stores a message durably (committed before this returns) and returns its idempotency key. */
    public String enqueue(String kind, String path, byte[] body) {
        return enqueue(kind, path, body, UUID.randomUUID().toString());
    }

    /** As {@link #enqueue(String, String, byte[])} with the caller's idempotency key (unique, at most 200 characters). */
    public String enqueue(String kind, String path, byte[] body, String key) {
        if (key.isEmpty() || key.length() > 200) throw new IllegalArgumentException("idempotency key of 1..200 characters");
        byte[] sealed = cipher.seal(body, context(key, kind, path));
        long now = clock.millis();
        synchronized (this) {
            try (PreparedStatement ps = db.prepareStatement(
                    "INSERT INTO outbox(idempotency_key, kind, path, sealed, created_at, next_attempt_at) VALUES (?,?,?,?,?,?)")) {
                ps.setString(1, key);
                ps.setString(2, kind);
                ps.setString(3, path);
                ps.setBytes(4, sealed);
                ps.setLong(5, now);
                ps.setLong(6, now);
                ps.executeUpdate();
            } catch (SQLException e) {
                throw new QueueUnavailable("cannot write to the offline queue", e);
            }
        }
        wake();
        return key;
    }

    /**
     * The oldest message due now, decrypted, or none while the queue is held after a transient failure; rows that no
     * longer decrypt are parked, not lost.
     */
    public synchronized Optional<OutboundItem> nextDue() {
        if (held()) return Optional.empty();
        // a loop, not recursion: any number of unreadable rows (a foreign data key) is parked without growing the stack
        while (true) {
            Optional<SealedRow> row = oldestDueRow();
            if (row.isEmpty()) return Optional.empty();
            SealedRow r = row.get();
            try {
                byte[] body = cipher.open(r.sealed(), context(r.key(), r.kind(), r.path()));
                return Optional.of(new OutboundItem(r.key(), r.kind(), r.path(), body, r.attempts()));
            } catch (PayloadCipher.UnreadablePayload e) {
                park(r.key(), e.getMessage());
            }
        }
    }

    /** One row as stored, read with its result set closed before anything else touches the table. */
    private record SealedRow(String key, String kind, String path, byte[] sealed, int attempts) {
    }

    private Optional<SealedRow> oldestDueRow() {
        try (PreparedStatement ps = db.prepareStatement(
                "SELECT idempotency_key, kind, path, sealed, attempts FROM outbox"
                        + " WHERE parked = 0 ORDER BY seq LIMIT 1")) {
            // every waiting row is due unless the queue is held: next_attempt_at, a wall-clock time written by earlier
            // versions per row, is no longer read (a clock stepped back would have postponed those rows by the step)
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return Optional.empty();
                return Optional.of(new SealedRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBytes(4), rs.getInt(5)));
            }
        } catch (SQLException e) {
            throw new QueueUnavailable("cannot read the offline queue", e);
        }
    }

    /**
     * The server acknowledged the message: delete it (delivered packets are not kept). Not synced on its own: a
     * delete lost to a power cut means one resend under the same idempotency key, which the server acknowledges
     * without storing twice; the next enqueue's sync makes it durable anyway.
     */
    public synchronized void delivered(String idempotencyKey) {
        relaxed(() -> update("DELETE FROM outbox WHERE idempotency_key = ?", idempotencyKey));
    }

    /** Removes a message that must not be sent (it was never handed out); synced. */
    public synchronized void discard(String idempotencyKey) {
        update("DELETE FROM outbox WHERE idempotency_key = ?", idempotencyKey);
    }

    /** Idempotency keys of waiting (not parked) messages that start with {@code prefix}. */
    public synchronized java.util.List<String> keysStartingWith(String prefix) {
        try (PreparedStatement ps = db.prepareStatement("SELECT idempotency_key FROM outbox WHERE substr(idempotency_key, 1, ?) = ?")) {
            ps.setInt(1, prefix.length());
            ps.setString(2, prefix);
            java.util.List<String> out = new java.util.ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(rs.getString(1));
            }
            return out;
        } catch (SQLException e) {
            throw new QueueUnavailable("cannot read the offline queue", e);
        }
    }

    /**
     * A transient failure (server unreachable, 5xx, ...): the message stays first in line and the whole queue waits
     * with backoff, counted by this message's attempts. Holding the queue, not the row, keeps the order and spares
     * the messages behind it an attempt (and its TPM signature) that would fail the same way.
     */
    public synchronized void retryLater(String idempotencyKey, String reason) {
        relaxed(() -> recordFailure(idempotencyKey, reason));
    }

    private void recordFailure(String idempotencyKey, String reason) {
        try (PreparedStatement ps = db.prepareStatement(
                "UPDATE outbox SET attempts = attempts + 1, last_error = ? WHERE idempotency_key = ?")) {
            int attempts = attemptsOf(idempotencyKey) + 1;
            ps.setString(1, truncate(reason));
            ps.setString(2, idempotencyKey);
            ps.executeUpdate();
            heldUntilNanos = System.nanoTime() + backoff.after(attempts).toNanos();
        } catch (SQLException e) {
            throw new QueueUnavailable("cannot update the offline queue", e);
        }
    }

    private boolean held() {
        return heldMillis() > 0;
    }

    private long heldMillis() {
        Long until = heldUntilNanos;
        return until == null ? 0 : Math.max(0, java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(until - System.nanoTime()));
    }

    /** The server refused the message for good (or it no longer decrypts): keep it aside for an operator, stop retrying. */
    public synchronized void park(String idempotencyKey, String reason) {
        try (PreparedStatement ps = db.prepareStatement("UPDATE outbox SET parked = 1, last_error = ? WHERE idempotency_key = ?")) {
            ps.setString(1, truncate(reason));
            ps.setString(2, idempotencyKey);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new QueueUnavailable("cannot update the offline queue", e);
        }
    }

    /** Counts for {@code status}: messages waiting and messages parked (the audit shipper counts its own). */
    public synchronized QueueCounts counts() {
        try (Statement s = db.createStatement();
             ResultSet rs = s.executeQuery("SELECT COALESCE(SUM(parked = 0), 0), COALESCE(SUM(parked = 1), 0) FROM outbox")) {
            rs.next();
            return new QueueCounts(rs.getLong(1), rs.getLong(2));
        } catch (SQLException e) {
            throw new QueueUnavailable("cannot read the offline queue", e);
        }
    }

    /** When the oldest message still waiting (not parked) was queued, in clock milliseconds. */
    public synchronized Optional<Long> oldestWaitingSince() {
        try (Statement s = db.createStatement();
             ResultSet rs = s.executeQuery("SELECT MIN(created_at) FROM outbox WHERE parked = 0")) {
            rs.next();
            long v = rs.getLong(1);
            return rs.wasNull() ? Optional.empty() : Optional.of(v);
        } catch (SQLException e) {
            throw new QueueUnavailable("cannot read the offline queue", e);
        }
    }

    /** Counts of the queue. */
    public record QueueCounts(long waiting, long parked) {
    }

    /** Milliseconds until the next message is due (0 unless the queue is held), or empty when none waits. */
    public synchronized Optional<Long> millisUntilNextDue() {
        return counts().waiting() == 0 ? Optional.empty() : Optional.of(heldMillis());
    }

    /** Wakes the courier: something new waits (e.g. an audit record was appended). */
    public void wake() {
        synchronized (signal) {
            woken = true;
            signal.notifyAll();
        }
    }

    /** Runs bookkeeping whose loss on a power cut only causes a resend without the per-commit sync (WAL, synchronous=NORMAL). */
    private void relaxed(Runnable write) {
        try (Statement s = db.createStatement()) {
            s.execute("PRAGMA synchronous=NORMAL");
            try {
                write.run();
            } finally {
                s.execute("PRAGMA synchronous=FULL");
            }
        } catch (SQLException e) {
            throw new QueueUnavailable("cannot update the offline queue", e);
        }
    }

    /** Waits until something is enqueued or {@code millis} pass. */
    void awaitWork(long millis) throws InterruptedException {
        synchronized (signal) {
            if (!woken) signal.wait(Math.max(1, millis));
            woken = false;
        }
    }

    private int attemptsOf(String key) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement("SELECT attempts FROM outbox WHERE idempotency_key = ?")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getInt(1) : 0;
            }
        }
    }

    private void update(String sql, String key) {
        try (PreparedStatement ps = db.prepareStatement(sql)) {
            ps.setString(1, key);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new QueueUnavailable("cannot update the offline queue", e);
        }
    }

    private static byte[] context(String key, String kind, String path) {
        return (key + "\n" + kind + "\n" + path).getBytes(StandardCharsets.UTF_8);
    }

    private static String truncate(String reason) {
        String r = reason == null ? "unknown" : reason;
        return r.length() > 500 ? r.substring(0, 500) : r;
    }

    @Override
    public synchronized void close() {
        try {
            db.close();
        } catch (SQLException e) {
            throw new QueueUnavailable("cannot close the offline queue", e);
        }
    }

    /** The queue's database cannot be used (disk full, file removed). */
    public static final class QueueUnavailable extends org.stationtrust.agent.internal.config.StorageUnavailable {
        private static final long serialVersionUID = 1L;

        QueueUnavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
