package org.stationtrust.server.internal.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** One-time enrollment tokens an admin hands to a station installer. */
public final class EnrollmentTokenStore {
    private final Database db;

    public EnrollmentTokenStore(Database db) {
        this.db = db;
    }

    public record EnrollmentToken(String id, String createdBy, String note, long createdAt, long expiresAt,
                                  Long usedAt, String usedBy) {
        /** Where an enrollment token stands: used outranks expired. */
        public enum Status { OPEN, USED, EXPIRED }

        public Status status(long now) {
            if (usedAt != null) return Status.USED;
            return expiresAt <= now ? Status.EXPIRED : Status.OPEN;
        }
    }

    public void create(String id, String tokenHash, String createdBy, String note, long expiresAt) {
        db.write(c -> Sql.update(c, "INSERT INTO enrollment_tokens (id, token_hash, created_by, note, "
                + "created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)", id, tokenHash, createdBy, note,
                System.currentTimeMillis(), expiresAt));
    }

    /** Consumes an open token atomically; returns its id, or empty when unknown, used or expired. */
    public Optional<String> consume(Connection c, String tokenHash, String machineId, long now) throws SQLException {
        Optional<String> id = Sql.one(c, "SELECT id FROM enrollment_tokens WHERE token_hash = ?",
                rs -> rs.getString(1), tokenHash);
        if (id.isEmpty()) return id;
        int n = Sql.update(c, "UPDATE enrollment_tokens SET used_at = ?, used_by = ? WHERE id = ? AND used_at IS NULL "
                + "AND expires_at > ?", now, machineId, id.get(), now);
        return n == 1 ? id : Optional.empty();
    }

    /** Who spent a token: its id and the enrollment (machine id) that used it. */
    public record TokenUse(String tokenId, String machineId) {
    }

    /**
     * The enrollment a used token went to, read in the caller's transaction; empty when the token is unknown or not
     * used. Expiry does not matter here: the token was spent while it was valid.
     */
    public Optional<TokenUse> use(Connection c, String tokenHash) throws SQLException {
        return Sql.one(c, "SELECT id, used_by FROM enrollment_tokens WHERE token_hash = ? AND used_at IS NOT NULL",
                rs -> new TokenUse(rs.getString(1), rs.getString(2)), tokenHash);
    }

    public boolean expire(String id) {
        long now = System.currentTimeMillis();
        return db.write(c -> Sql.update(c, "UPDATE enrollment_tokens SET expires_at = ? WHERE id = ? AND "
                + "used_at IS NULL AND expires_at > ?", now, id, now) == 1);
    }

    /** A page of tokens, newest first, and the cursor of the next page (null on the last). */
    public record Page(List<EnrollmentToken> rows, MachineSearch.Cursor next) {
        public Page {
            rows = List.copyOf(rows);
        }
    }

    /**
     * Up to {@code size} tokens after the cursor (null: from the newest), by keyset on (created_at, id) through its
     * index (migration V16): tokens issued while a client pages neither repeat nor push others out of its walk.
     */
    public Page page(MachineSearch.Cursor after, int size) {
        if (size < 1) throw new IllegalArgumentException("Page size must be at least 1, got " + size);
        long key = MachineSearch.Cursor.timeKey(after);
        String id = after == null ? "" : after.id();
        List<EnrollmentToken> rows = db.withConnection(c -> Sql.query(c, "SELECT * FROM enrollment_tokens WHERE "
                + "(created_at, id) < (?, ?) ORDER BY created_at DESC, id DESC LIMIT ?", EnrollmentTokenStore::token,
                key, id, size + 1));
        if (rows.size() <= size) return new Page(rows, null);
        EnrollmentToken last = rows.get(size - 1);
        return new Page(rows.subList(0, size), new MachineSearch.Cursor(Long.toString(last.createdAt()), last.id()));
    }

    /** The newest {@code limit} tokens, newest first: a fleet issues one per station, so they only grow. */
    public List<EnrollmentToken> newest(int limit) {
        return db.withConnection(c -> Sql.query(c, "SELECT * FROM enrollment_tokens ORDER BY created_at DESC, id DESC "
                + "LIMIT ?", EnrollmentTokenStore::token, limit));
    }

    /** How many tokens were issued in all, and how many of them are open (neither used nor expired) at {@code now}. */
    public record Counts(long total, long open) {
    }

    public Counts counts(long now) {
        return db.withConnection(c -> Sql.one(c, "SELECT COUNT(*), COALESCE(SUM(CASE WHEN used_at IS NULL AND expires_at > ? "
                + "THEN 1 ELSE 0 END), 0) FROM enrollment_tokens", rs -> new Counts(rs.getLong(1), rs.getLong(2)), now)
                .orElse(new Counts(0, 0)));
    }

    private static EnrollmentToken token(java.sql.ResultSet rs) throws SQLException {
        return new EnrollmentToken(rs.getString("id"), rs.getString("created_by"), rs.getString("note"),
                rs.getLong("created_at"), rs.getLong("expires_at"), Sql.nullableLong(rs, "used_at"),
                rs.getString("used_by"));
    }
}
