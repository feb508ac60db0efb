package org.stationtrust.server.internal.store;

import java.util.List;
import java.util.Optional;
import org.stationtrust.server.Role;

/** Login sessions and API tokens; only SHA-256 digests of the bearer values are stored. */
public final class CredentialStore {
    private final Database db;

    public CredentialStore(Database db) {
        this.db = db;
    }

    public record Principal(String username, Role role, String csrfToken) {
    }

    public record ApiToken(String id, String username, String label, long createdAt, long expiresAt, Long revokedAt) {
        /** Where an API token stands: revoked outranks expired. */
        public enum Status { ACTIVE, EXPIRED, REVOKED }

        public Status status(long now) {
            if (revokedAt != null) return Status.REVOKED;
            return expiresAt <= now ? Status.EXPIRED : Status.ACTIVE;
        }
    }

    public void createSession(String tokenHash, String username, String csrf, long expiresAt) {
        db.write(c -> Sql.update(c, "INSERT INTO sessions (token_hash, username, csrf_token, created_at, "
                + "expires_at) VALUES (?, ?, ?, ?, ?)", tokenHash, username, csrf, System.currentTimeMillis(), expiresAt));
    }

    public Optional<Principal> session(String tokenHash, long now) {
        return db.withConnection(c -> Sql.one(c, "SELECT u.username, u.role, s.csrf_token FROM sessions s JOIN users u "
                + "ON u.username = s.username WHERE s.token_hash = ? AND s.expires_at > ? AND u.disabled = 0",
                rs -> new Principal(rs.getString(1), Role.parse(rs.getString(2)), rs.getString(3)), tokenHash, now));
    }

    public void deleteSession(String tokenHash) {
        db.write(c -> Sql.update(c, "DELETE FROM sessions WHERE token_hash = ?", tokenHash));
    }

    public void createApiToken(String id, String tokenHash, String username, String label, long expiresAt) {
        db.write(c -> Sql.update(c, "INSERT INTO api_tokens (id, token_hash, username, label, created_at, "
                + "expires_at) VALUES (?, ?, ?, ?, ?, ?)", id, tokenHash, username, label, System.currentTimeMillis(),
                expiresAt));
    }

    public Optional<Principal> apiToken(String tokenHash, long now) {
        return db.withConnection(c -> Sql.one(c, "SELECT u.username, u.role FROM api_tokens t JOIN users u "
                + "ON u.username = t.username WHERE t.token_hash = ? AND t.expires_at > ? AND t.revoked_at IS NULL "
                + "AND u.disabled = 0", rs -> new Principal(rs.getString(1), Role.parse(rs.getString(2)), null),
                tokenHash, now));
    }

    public List<ApiToken> apiTokens() {
        return db.withConnection(c -> Sql.query(c, "SELECT * FROM api_tokens ORDER BY created_at DESC",
                rs -> new ApiToken(rs.getString("id"), rs.getString("username"), rs.getString("label"),
                        rs.getLong("created_at"), rs.getLong("expires_at"), Sql.nullableLong(rs, "revoked_at"))));
    }

    public boolean revokeApiToken(String id) {
        return db.write(c -> Sql.update(c, "UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND "
                + "revoked_at IS NULL", System.currentTimeMillis(), id) == 1);
    }

    public void purgeExpired(long now) {
        db.write(c -> Sql.update(c, "DELETE FROM sessions WHERE expires_at <= ?", now));
    }

    /** Ends the operator's sessions (all, or all but {@code keepTokenHash}); returns how many. */
    public int endSessions(java.sql.Connection c, String username, String keepTokenHash) throws java.sql.SQLException {
        return keepTokenHash == null ? Sql.update(c, "DELETE FROM sessions WHERE username = ?", username)
                : Sql.update(c, "DELETE FROM sessions WHERE username = ? AND token_hash <> ?", username, keepTokenHash);
    }

    public int revokeApiTokensOf(java.sql.Connection c, String username, long now) throws java.sql.SQLException {
        return Sql.update(c, "UPDATE api_tokens SET revoked_at = ? WHERE username = ? AND revoked_at IS NULL", now,
                username);
    }

    public void createPasswordReset(java.sql.Connection c, String tokenHash, String username, String createdBy,
                                    long now, long expiresAt) throws java.sql.SQLException {
        Sql.update(c, "INSERT INTO password_resets (token_hash, username, created_by, created_at, expires_at) VALUES "
                + "(?, ?, ?, ?, ?)", tokenHash, username, createdBy, now, expiresAt);
    }

    /** The operator an unused, unexpired reset token was issued for; spends nothing. */
    public Optional<String> openPasswordReset(String tokenHash, long now) {
        return db.withConnection(c -> Sql.one(c, "SELECT username FROM password_resets WHERE token_hash = ? AND used_at "
                + "IS NULL AND expires_at > ?", rs -> rs.getString(1), tokenHash, now));
    }

    /** Spends a reset token: the operator it was issued for, if it is known, unused and not expired. */
    public Optional<String> consumePasswordReset(java.sql.Connection c, String tokenHash, long now)
            throws java.sql.SQLException {
        if (Sql.update(c, "UPDATE password_resets SET used_at = ? WHERE token_hash = ? AND used_at IS NULL AND "
                + "expires_at > ?", now, tokenHash, now) != 1) {
            return Optional.empty();
        }
        return Sql.one(c, "SELECT username FROM password_resets WHERE token_hash = ?", rs -> rs.getString(1), tokenHash);
    }
}
