package org.stationtrust.agent.internal.service;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.Optional;
import org.stationtrust.agent.internal.config.StorageUnavailable;

/**
 * The audit shipper's own bookkeeping: how far the server acknowledged the audit log (the log itself is the durable
 * outbox of its events), and the events it refused for good, kept by id for an operator (the record stays in
 * {@code audit.jsonl}). Its tables live in the queue's database file, on a connection of their own.
 */
final class AuditCursorStore implements AutoCloseable {
    private static final int MAX_REASON = 500;
    private final Connection db;
    private final Clock clock;

    /** The last delivered audit record: its sequence number, the log offset after it, and its hash. */
    record AuditCursor(long seq, long endOffset, String hash) {
    }

    private AuditCursorStore(Connection db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** Opens the store in {@code file} (the queue's database, already created 0600 by the queue). */
    static AuditCursorStore open(Path file, Clock clock) throws IOException {
        try {
            Connection db = DriverManager.getConnection("jdbc:sqlite:" + file);
            try (Statement s = db.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
                s.execute("PRAGMA synchronous=FULL");
                s.execute("PRAGMA busy_timeout=5000");
                s.execute("CREATE TABLE IF NOT EXISTS audit_cursor (id INTEGER PRIMARY KEY CHECK (id = 1),"
                        + " seq INTEGER NOT NULL, end_offset INTEGER NOT NULL, hash TEXT NOT NULL)");
                s.execute("CREATE TABLE IF NOT EXISTS audit_parked (event_id TEXT PRIMARY KEY, reason TEXT NOT NULL,"
                        + " parked_at INTEGER NOT NULL)");
            } catch (SQLException e) {
                db.close();
                throw e;
            }
            return new AuditCursorStore(db, clock);
        } catch (SQLException e) {
            throw new IOException("cannot open the audit delivery cursor in " + file + ": " + e.getMessage(), e);
        }
    }

    /** Where the delivery of the audit log stands: the last delivered record, empty when none was. */
    synchronized Optional<AuditCursor> cursor() {
        try (Statement s = db.createStatement();
             ResultSet rs = s.executeQuery("SELECT seq, end_offset, hash FROM audit_cursor WHERE id = 1")) {
            return rs.next() ? Optional.of(new AuditCursor(rs.getLong(1), rs.getLong(2), rs.getString(3))) : Optional.empty();
        } catch (SQLException e) {
            throw new StorageUnavailable("cannot read the audit delivery cursor", e);
        }
    }

    /**
     * The server acknowledged the audit log up to {@code cursor}. Not synced on its own (synchronous=NORMAL): a cursor
     * lost to a power cut resends events the server already has, and it acknowledges them by id without storing them twice.
     */
    synchronized void delivered(AuditCursor cursor) {
        try (Statement s = db.createStatement()) {
            s.execute("PRAGMA synchronous=NORMAL");
            try (PreparedStatement ps = db.prepareStatement("INSERT INTO audit_cursor(id, seq, end_offset, hash) VALUES (1,?,?,?)"
                    + " ON CONFLICT(id) DO UPDATE SET seq = excluded.seq, end_offset = excluded.end_offset, hash = excluded.hash")) {
                ps.setLong(1, cursor.seq());
                ps.setLong(2, cursor.endOffset());
                ps.setString(3, cursor.hash());
                ps.executeUpdate();
            } finally {
                s.execute("PRAGMA synchronous=FULL");
            }
        } catch (SQLException e) {
            throw new StorageUnavailable("cannot update the audit delivery cursor", e);
        }
    }

    /** The server refused this audit event for good: its id and the reason are kept (and counted as parked). */
    synchronized void park(String eventId, String reason) {
        try (PreparedStatement ps = db.prepareStatement("INSERT INTO audit_parked(event_id, reason, parked_at) VALUES (?,?,?)"
                + " ON CONFLICT(event_id) DO UPDATE SET reason = excluded.reason")) {
            ps.setString(1, eventId);
            ps.setString(2, reason.length() > MAX_REASON ? reason.substring(0, MAX_REASON) : reason);
            ps.setLong(3, clock.millis());
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new StorageUnavailable("cannot park an audit event", e);
        }
    }

    /** Audit events parked so far. */
    synchronized long parked() {
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM audit_parked")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new StorageUnavailable("cannot count the parked audit events", e);
        }
    }

    @Override
    public synchronized void close() throws SQLException {
        db.close();
    }
}
