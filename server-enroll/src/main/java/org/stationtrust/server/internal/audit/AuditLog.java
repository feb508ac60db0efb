package org.stationtrust.server.internal.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.stationtrust.server.internal.store.Database;

/**
 * Append-only audit log in the database, as a hash chain: each row carries the hash of the previous one,
 * and {@code audit_head} holds the last sequence number and hash. Appends serialise on the head row
 * (a row lock on PostgreSQL, the write lock on SQLite), so two instances extend one chain.
 */
public final class AuditLog {
    public static final String GENESIS = "0".repeat(64);
    private static final int MAX_FIELD = 1000;

    private final Database db;

    public AuditLog(Database db) {
        this.db = db;
    }

    /** Appends in its own transaction. */
    public AuditEvent append(String actor, String action, String subject, AuditOutcome outcome, String detail) {
        return db.inTransaction(c -> append(c, actor, action, subject, outcome, detail));
    }

    /** Appends inside the caller's transaction, so a decision and its audit row commit together. */
    public AuditEvent append(Connection c, String actor, String action, String subject, AuditOutcome outcome,
                             String detail) throws SQLException {
        try (PreparedStatement lock = c.prepareStatement("UPDATE audit_head SET seq = seq + 1 WHERE id = 1")) {
            if (lock.executeUpdate() != 1) throw new SQLException("audit_head row is missing: database not migrated");
        }
        long seq;
        String prev;
        try (PreparedStatement q = c.prepareStatement("SELECT seq, hash FROM audit_head WHERE id = 1");
             ResultSet rs = q.executeQuery()) {
            rs.next();
            seq = rs.getLong(1);
            prev = rs.getString(2);
        }
        long at = System.currentTimeMillis();
        String a = clip(actor, 128), act = clip(action, 64), s = clip(subject, 128), o = outcome.name(),
                d = clip(detail, MAX_FIELD);
        String hash = AuditEvent.hashOf(seq, at, a, act, s, o, d, prev);
        try (PreparedStatement ins = c.prepareStatement("INSERT INTO audit_events (seq, at, actor, action, subject, "
                + "outcome, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ins.setLong(1, seq);
            ins.setLong(2, at);
            ins.setString(3, a);
            ins.setString(4, act);
            ins.setString(5, s);
            ins.setString(6, o);
            ins.setString(7, d);
            ins.setString(8, prev);
            ins.setString(9, hash);
            ins.executeUpdate();
        }
        try (PreparedStatement head = c.prepareStatement("UPDATE audit_head SET hash = ? WHERE id = 1")) {
            head.setString(1, hash);
            head.executeUpdate();
        }
        return new AuditEvent(seq, at, a, act, s, o, d, prev, hash);
    }

    /** The newest events first, at most {@code limit}. */
    public List<AuditEvent> recent(int limit) {
        return db.withConnection(c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT * FROM audit_events ORDER BY seq DESC LIMIT ?")) {
                q.setInt(1, Math.max(1, Math.min(limit, 1000)));
                return read(q);
            }
        });
    }

    /**
     * The events older than row {@code seq} (exclusive), newest first, at most {@code limit}: one page of the whole
     * chain, walked from {@code Long.MAX_VALUE} down (docs/server-api.md, "Operator API").
     */
    public List<AuditEvent> before(long seq, int limit) {
        return db.withConnection(c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT * FROM audit_events WHERE seq < ? ORDER BY seq DESC "
                    + "LIMIT ?")) {
                q.setLong(1, seq);
                q.setInt(2, Math.max(1, Math.min(limit, 1000)));
                return read(q);
            }
        });
    }

    /** The newest events first, at most {@code limit}, leaving out those of one action (e.g. counted refusals). */
    public List<AuditEvent> recentExcept(String action, int limit) {
        return db.withConnection(c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT * FROM audit_events WHERE action <> ? ORDER BY seq "
                    + "DESC LIMIT ?")) {
                q.setString(1, action);
                q.setInt(2, Math.max(1, Math.min(limit, 1000)));
                return read(q);
            }
        });
    }

    /** The newest events of one action among the last {@code within} events, at most {@code limit}. */
    public List<AuditEvent> recentOf(String action, int limit, int within) {
        return db.withConnection(c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT * FROM audit_events WHERE action = ? AND seq > "
                    + "(SELECT COALESCE(MAX(seq), 0) FROM audit_events) - ? ORDER BY seq DESC LIMIT ?")) {
                q.setString(1, action);
                q.setInt(2, within);
                q.setInt(3, Math.max(1, Math.min(limit, 1000)));
                return read(q);
            }
        });
    }

    /**
     * The newest events of operators (people signed in, and the {@code cli}) among the last {@code within} events, at
     * most {@code limit}: on a fleet, machines' and the server's own events (actors {@code machine:..},
     * {@code station:..}, {@code station@..}, {@code anonymous..}, {@code server}) outnumber them by far. Operator
     * names hold neither ':' nor '@' ({@code UserStore.requireValidUsername}).
     */
    public List<AuditEvent> recentByOperators(int limit, int within) {
        return db.withConnection(c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT * FROM audit_events WHERE seq > "
                    + "(SELECT COALESCE(MAX(seq), 0) FROM audit_events) - ? AND actor NOT IN ('server', 'anonymous') "
                    + "AND actor NOT LIKE '%:%' AND actor NOT LIKE '%@%' ORDER BY seq DESC LIMIT ?")) {
                q.setInt(1, within);
                q.setInt(2, Math.max(1, Math.min(limit, 1000)));
                return read(q);
            }
        });
    }

    /** The newest events about one subject (a machine id, an operator) first, at most {@code limit}. */
    public List<AuditEvent> about(String subject, int limit) {
        return db.withConnection(c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT * FROM audit_events WHERE subject = ? ORDER BY seq "
                    + "DESC LIMIT ?")) {
                q.setString(1, subject);
                q.setInt(2, Math.max(1, Math.min(limit, 1000)));
                return read(q);
            }
        });
    }

    /**
     * Walks the whole chain: sequence numbers must run 1..n without gaps, each row's prev_hash must be the
     * previous row's hash, each hash must match its content, and the head must point at the last row.
     * Detects an edited, deleted (anywhere, including the last row) or reordered row. When intact, the last row
     * becomes the checkpoint {@link #verifyFromCheckpoint} starts from.
     */
    public AuditChainReport verify() {
        return walk(false);
    }

    /**
     * Verifies the rows appended since the last intact verification (the checkpoint), and that the checkpoint row
     * itself still holds its recorded hash; costs the rows added since, not the whole chain. Rows before the
     * checkpoint are only covered by a full {@link #verify}: run it on demand and regularly (CLI, API ?full=true).
     */
    public AuditChainReport verifyFromCheckpoint() {
        return walk(true);
    }

    private AuditChainReport walk(boolean fromCheckpoint) {
        String[] last = new String[1];
        AuditChainReport report = db.withConnection(c -> {
            List<String> problems = new ArrayList<>();
            long expectedSeq = 1;
            String prev = GENESIS;
            long from = 1;
            if (fromCheckpoint) {
                try (PreparedStatement q = c.prepareStatement("SELECT seq, hash FROM audit_checkpoint WHERE id = 1");
                     ResultSet rs = q.executeQuery()) {
                    if (rs.next()) {
                        from = rs.getLong(1);
                        prev = rs.getString(2);
                        expectedSeq = from + 1;
                    }
                }
                if (from > 1 || expectedSeq > 1) checkCheckpointRow(c, from, prev, problems);
            }
            try (PreparedStatement q = c.prepareStatement("SELECT * FROM audit_events WHERE seq >= ? ORDER BY seq ASC")) {
                q.setLong(1, expectedSeq);
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        AuditEvent e = row(rs);
                        if (e.seq() != expectedSeq) {
                            problems.add("row " + e.seq() + ": expected sequence " + expectedSeq
                                    + " (a row is missing or was renumbered)");
                        }
                        if (!same(e.prevHash(), prev)) {
                            problems.add("row " + e.seq() + ": previous-hash link broken (a row before it was "
                                    + "deleted, edited or moved)");
                        }
                        if (!same(e.recomputedHash(), e.hash())) {
                            problems.add("row " + e.seq() + ": content does not match its hash (the row was edited)");
                        }
                        prev = e.hash();
                        expectedSeq = e.seq() + 1;
                    }
                }
            }
            try (PreparedStatement q = c.prepareStatement("SELECT seq, hash FROM audit_head WHERE id = 1");
                 ResultSet rs = q.executeQuery()) {
                if (!rs.next()) {
                    problems.add("audit head is missing");
                } else if (rs.getLong(1) != expectedSeq - 1 || !same(rs.getString(2), prev)) {
                    problems.add("audit head points at row " + rs.getLong(1) + " but the chain ends at row "
                            + (expectedSeq - 1) + " (rows at the end were deleted or edited)");
                }
            }
            last[0] = prev;
            return new AuditChainReport(expectedSeq - 1, problems, from);
        });
        if (report.intact() && report.rows() > 0) {
            // Writes queue behind the process's other writers (SQLite has one).
            db.write(c -> {
                saveCheckpoint(c, report.rows(), last[0]);
                return null;
            });
        }
        return report;
    }

    private static void checkCheckpointRow(Connection c, long seq, String hash, List<String> problems)
            throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT * FROM audit_events WHERE seq = ?")) {
            q.setLong(1, seq);
            try (ResultSet rs = q.executeQuery()) {
                if (!rs.next()) {
                    problems.add("row " + seq + " (the last verified one) is missing");
                    return;
                }
                AuditEvent e = row(rs);
                if (!same(e.hash(), hash) || !same(e.recomputedHash(), hash)) {
                    problems.add("row " + seq + " (the last verified one) changed since it was verified; run a full "
                            + "verification");
                }
            }
        }
    }

    /**
     * Moves the checkpoint forward (never back: a concurrent verification of fewer rows does not undo a longer one).
     * Best effort: a read-only moment (e.g. the database busy) leaves the old checkpoint, which is still correct.
     */
    private static void saveCheckpoint(Connection c, long seq, String hash) {
        try (PreparedStatement up = c.prepareStatement("UPDATE audit_checkpoint SET seq = ?, hash = ?, verified_at = ? "
                + "WHERE id = 1 AND seq < ?")) {
            up.setLong(1, seq);
            up.setString(2, hash);
            up.setLong(3, System.currentTimeMillis());
            up.setLong(4, seq);
            if (up.executeUpdate() == 1) return;
        } catch (SQLException e) {
            return;
        }
        try (PreparedStatement ins = c.prepareStatement("INSERT INTO audit_checkpoint (id, seq, hash, verified_at) "
                + "SELECT 1, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM audit_checkpoint WHERE id = 1)")) {
            ins.setLong(1, seq);
            ins.setString(2, hash);
            ins.setLong(3, System.currentTimeMillis());
            ins.executeUpdate();
        } catch (SQLException e) {
            // keep the old checkpoint
        }
    }

    /** Hashes compared in constant time (SpotBugs UNSAFE_HASH_EQUALS; the chain's hashes are not secret). */
    private static boolean same(String a, String b) {
        return a != null && b != null && java.security.MessageDigest.isEqual(
                a.getBytes(java.nio.charset.StandardCharsets.US_ASCII), b.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    private static List<AuditEvent> read(PreparedStatement q) throws SQLException {
        List<AuditEvent> out = new ArrayList<>();
        try (ResultSet rs = q.executeQuery()) {
            while (rs.next()) out.add(row(rs));
        }
        return out;
    }

    private static AuditEvent row(ResultSet rs) throws SQLException {
        return new AuditEvent(rs.getLong("seq"), rs.getLong("at"), rs.getString("actor"), rs.getString("action"),
                rs.getString("subject"), rs.getString("outcome"), rs.getString("detail"), rs.getString("prev_hash"),
                rs.getString("hash"));
    }

    private static String clip(String s, int max) {
        if (s == null) return "";
        return s.length() <= max ? s : s.substring(0, max);
    }
}
