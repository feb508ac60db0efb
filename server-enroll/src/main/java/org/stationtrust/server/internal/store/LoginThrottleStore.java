package org.stationtrust.server.internal.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;

/**
 * The per-account sign-in back-off and the device tokens that pass it (migration V10), shared by every server
 * instance on the database. Accounts are keyed digests (LoginThrottle), token hashes SHA-256 of random tokens.
 */
public final class LoginThrottleStore {
    /** Device tokens an account keeps: the newest; an older browser signs in normally once more. */
    public static final int DEVICES_PER_ACCOUNT = 20;

    private final Database db;

    public LoginThrottleStore(Database db) {
        this.db = db;
    }

    /** An account's failures in a row and until when it waits (0: it does not). */
    public record Streak(int failures, long blockedUntil) {
    }

    public Optional<Streak> streak(String account) {
        return db.withConnection(c -> Sql.one(c, "SELECT failures, blocked_until FROM login_failures WHERE account = ?",
                rs -> new Streak(rs.getInt(1), rs.getLong(2)), account));
    }

    /**
     * Counts one failure atomically across instances (the upsert takes the row's lock until commit, so concurrent
     * failures on other instances count one after the other) and answers the streak it makes, before its back-off
     * is set with {@link #block}.
     */
    public int countFailure(Connection c, String account, long now) throws SQLException {
        Sql.update(c, "INSERT INTO login_failures (account, failures, blocked_until, last_failure_at) VALUES (?, 1, 0, ?)"
                + " ON CONFLICT (account) DO UPDATE SET failures = login_failures.failures + 1,"
                + " last_failure_at = excluded.last_failure_at", account, now);
        return Sql.one(c, "SELECT failures FROM login_failures WHERE account = ?", rs -> rs.getInt(1), account)
                .orElseThrow(() -> new SQLException("login_failures row vanished inside its own transaction"));
    }

    public void block(Connection c, String account, long until) throws SQLException {
        Sql.update(c, "UPDATE login_failures SET blocked_until = ? WHERE account = ?", until, account);
    }

    /** Forgets failure streaks whose last failure is older than {@code cutoff}; answers how many. */
    public int forgetStreaksBefore(Connection c, long cutoff) throws SQLException {
        return Sql.update(c, "DELETE FROM login_failures WHERE last_failure_at < ?", cutoff);
    }

    public void clear(Connection c, String account) throws SQLException {
        Sql.update(c, "DELETE FROM login_failures WHERE account = ?", account);
    }

    /** The account a device token was issued for, if it is still valid. */
    public Optional<String> deviceAccount(String tokenHash, long notBefore) {
        return db.withConnection(c -> Sql.one(c, "SELECT account FROM login_devices WHERE token_hash = ?"
                + " AND created_at >= ?", rs -> rs.getString(1), tokenHash, notBefore));
    }

    /** Removes a device token (spent by a failed sign-in); answers whether it existed. */
    public boolean spendDevice(Connection c, String tokenHash) throws SQLException {
        return Sql.update(c, "DELETE FROM login_devices WHERE token_hash = ?", tokenHash) > 0;
    }

    /** Records a new device token; drops the account's tokens beyond the newest {@link #DEVICES_PER_ACCOUNT}. */
    public void addDevice(Connection c, String tokenHash, String account, long now, long expiredBefore)
            throws SQLException {
        Sql.update(c, "INSERT INTO login_devices (token_hash, account, created_at) VALUES (?, ?, ?)", tokenHash, account,
                now);
        Sql.update(c, "DELETE FROM login_devices WHERE account = ? AND (created_at < ? OR token_hash NOT IN"
                + " (SELECT token_hash FROM login_devices WHERE account = ? ORDER BY created_at DESC, token_hash"
                + " LIMIT " + DEVICES_PER_ACCOUNT + "))", account, expiredBefore, account);
    }

    /** Drops device tokens of every account issued before {@code cutoff}. */
    public int forgetDevicesBefore(Connection c, long cutoff) throws SQLException {
        return Sql.update(c, "DELETE FROM login_devices WHERE created_at < ?", cutoff);
    }
}
