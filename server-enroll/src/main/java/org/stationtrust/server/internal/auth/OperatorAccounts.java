package org.stationtrust.server.internal.auth;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.stationtrust.server.internal.audit.DecisionReason;
import org.stationtrust.protocol.ErrorCode;
import org.stationtrust.server.Role;
import org.stationtrust.server.internal.audit.AuditLog;
import org.stationtrust.server.internal.audit.AuditOutcome;
import org.stationtrust.server.internal.http.ApiException;
import org.stationtrust.server.internal.store.CredentialStore;
import org.stationtrust.server.internal.store.Database;
import org.stationtrust.server.internal.store.UserStore;

/**
 * The operator lifecycle after {@code user add}: disable, enable, remove, change one's own password, and the admin's
 * password reset by one-time token. Each change and its audit row commit together. A disabled or removed operator's
 * sessions end and API tokens are revoked in the same transaction (and every session and token lookup checks the
 * account as well), so they stop working at the next request. The last enabled admin cannot be disabled or removed,
 * and nobody disables or removes themselves.
 */
public final class OperatorAccounts {
    public static final int MIN_PASSWORD = 12;
    public static final int MAX_PASSWORD = 1024;
    public static final Duration RESET_LIFETIME = Duration.ofHours(1);
    public static final String RESET_PREFIX = "str_";

    private final Database db;
    private final UserStore users;
    private final CredentialStore credentials;
    private final PasswordHasher hasher;
    private final AuditLog audit;

    public OperatorAccounts(Database db, UserStore users, CredentialStore credentials, PasswordHasher hasher,
                            AuditLog audit) {
        this.db = db;
        this.users = users;
        this.credentials = credentials;
        this.hasher = hasher;
        this.audit = audit;
    }

    /** A reset token as issued: shown once, stored only as its digest. */
    public record Reset(String username, String token, Instant expiresAt) {
    }

    /** {@code actor} is who acts ("cli" from the command line); {@code self} their account name, or null. */
    public void disable(String actor, String self, String username, String reason) {
        DecisionReason.require(reason);
        db.inTransaction(c -> {
            UserStore.User u = existing(c, username);
            guardOthers(c, self, u, "disable");
            if (u.disabled()) throw new ApiException(ErrorCode.CONFLICT, "Operator '" + username + "' is already disabled");
            users.setDisabled(c, username, true);
            int sessions = credentials.endSessions(c, username, null);
            int tokens = credentials.revokeApiTokensOf(c, username, System.currentTimeMillis());
            audit.append(c, actor, "user.disable", username, AuditOutcome.OK,
                    reason + " (" + sessions + " session(s) ended, "
                    + tokens + " API token(s) revoked)");
            return null;
        });
    }

    public void enable(String actor, String username, String reason) {
        DecisionReason.require(reason);
        db.inTransaction(c -> {
            UserStore.User u = existing(c, username);
            if (!u.disabled()) throw new ApiException(ErrorCode.CONFLICT, "Operator '" + username + "' is not disabled");
            users.setDisabled(c, username, false);
            audit.append(c, actor, "user.enable", username, AuditOutcome.OK, reason);
            return null;
        });
    }

    public void remove(String actor, String self, String username, String reason) {
        DecisionReason.require(reason);
        db.inTransaction(c -> {
            UserStore.User u = existing(c, username);
            guardOthers(c, self, u, "remove");
            users.delete(c, username);
            audit.append(c, actor, "user.remove", username, AuditOutcome.OK, "role " + u.role() + "; " + reason);
            return null;
        });
    }

    /**
     * Changes the caller's own password after checking the current one; their other sessions end
     * ({@code keepSessionHash}: the digest of the session making the change, or null).
     */
    public void changeOwnPassword(String username, char[] current, char[] next, String keepSessionHash) {
        requirePolicy(next);
        UserStore.User u = users.find(username).orElseThrow(() -> new ApiException(ErrorCode.UNAUTHENTICATED,
                "Unknown operator"));
        if (!hasher.matches(current, u.passwordHash())) {
            audit.append(username, "user.password_change", username, AuditOutcome.REFUSED, "current password wrong");
            throw new ApiException(ErrorCode.FORBIDDEN, "The current password is wrong");
        }
        String hash = hasher.hash(next);
        db.inTransaction(c -> {
            users.setPasswordHash(c, username, hash);
            int ended = credentials.endSessions(c, username, keepSessionHash);
            audit.append(c, username, "user.password_change", username, AuditOutcome.OK,
                    ended + " other session(s) ended");
            return null;
        });
    }

    /** Issues a one-time reset token for {@code username}, valid {@link #RESET_LIFETIME}; the reason is audited. */
    public Reset issueReset(String actor, String username, String reason) {
        DecisionReason.require(reason);
        String token = Secrets.newToken(RESET_PREFIX);
        long now = System.currentTimeMillis();
        long expires = now + RESET_LIFETIME.toMillis();
        db.inTransaction(c -> {
            existing(c, username);
            credentials.createPasswordReset(c, Secrets.digest(token), username, actor, now, expires);
            audit.append(c, actor, "user.password_reset_issued", username, AuditOutcome.OK, reason.strip()
                    + " (one-time token, expires " + Instant.ofEpochMilli(expires) + ")");
            return null;
        });
        return new Reset(username, token, Instant.ofEpochMilli(expires));
    }

    /** Sets a new password with a reset token (anonymous: the token is the credential); ends every session. */
    public String redeemReset(String token, char[] next, String source) {
        requirePolicy(next);
        if (token == null || !token.startsWith(RESET_PREFIX) || token.length() > 100) {
            throw new ApiException(ErrorCode.FORBIDDEN, "The reset token is unknown, used or expired");
        }
        // The token is looked at before the password is hashed: a made-up token costs a read, not an Argon2id run.
        if (credentials.openPasswordReset(Secrets.digest(token), System.currentTimeMillis()).isEmpty()) {
            throw new ApiException(ErrorCode.FORBIDDEN, "The reset token is unknown, used or expired; ask an admin for "
                    + "a new one");
        }
        String hash = hasher.hash(next);
        Optional<String> who = db.inTransaction(c -> {
            Optional<String> u = credentials.consumePasswordReset(c, Secrets.digest(token), System.currentTimeMillis());
            if (u.isPresent()) {
                users.setPasswordHash(c, u.get(), hash);
                credentials.endSessions(c, u.get(), null);
                audit.append(c, "anonymous@" + source, "user.password_reset", u.get(), AuditOutcome.OK,
                        "password set with a one-time reset token; every session ended");
            }
            return u;
        });
        return who.orElseThrow(() -> new ApiException(ErrorCode.FORBIDDEN, "The reset token is unknown, used or "
                + "expired; ask an admin for a new one"));
    }

    public static void requirePolicy(char[] password) {
        if (password == null || password.length < MIN_PASSWORD || password.length > MAX_PASSWORD) {
            throw new ApiException(ErrorCode.INVALID_FIELD, "A new password must be " + MIN_PASSWORD + "-" + MAX_PASSWORD
                    + " characters");
        }
    }

    /**
     * Revokes an active API token for a reason (3-500 characters, audited), from the API and the operators page alike;
     * {@code 404 not_found} when no active token has that id.
     */
    public void revokeApiToken(String actor, String tokenId, String reason) {
        DecisionReason.require(reason);
        if (tokenId.length() > 40 || !credentials.revokeApiToken(tokenId)) {
            throw new ApiException(ErrorCode.NOT_FOUND, "No active API token with that id");
        }
        audit.append(actor, "api_token.revoke", tokenId, AuditOutcome.OK, reason.strip());
    }


    private UserStore.User existing(java.sql.Connection c, String username) throws java.sql.SQLException {
        return users.find(c, username == null ? "" : username).orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND,
                "No operator with that name"));
    }

    private void guardOthers(java.sql.Connection c, String self, UserStore.User u, String verb)
            throws java.sql.SQLException {
        if (u.username().equals(self)) {
            throw new ApiException(ErrorCode.CONFLICT, "You cannot " + verb + " your own account; ask another admin");
        }
        if (u.role() == Role.ADMIN && !u.disabled() && users.enabledAdmins(c) <= 1) {
            throw new ApiException(ErrorCode.CONFLICT, "'" + u.username() + "' is the last enabled admin: add or "
                    + "enable another admin first");
        }
    }
}
