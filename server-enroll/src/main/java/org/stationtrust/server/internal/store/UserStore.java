package org.stationtrust.server.internal.store;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.stationtrust.server.Role;

/** Operators of the admin page and API. */
public final class UserStore {
    private static final Pattern USERNAME = Pattern.compile("[a-z0-9][a-z0-9._-]{1,63}");

    private final Database db;

    public UserStore(Database db) {
        this.db = db;
    }

    public record User(String username, String passwordHash, Role role, long createdAt, boolean disabled) {
    }

    public static String requireValidUsername(String username) {
        if (username == null || !USERNAME.matcher(username).matches()) {
            throw new IllegalArgumentException("Username must be 2-64 characters of a-z, 0-9, '.', '_' or '-' "
                    + "and start with a letter or digit");
        }
        return username;
    }

    public boolean create(String username, String passwordHash, Role role) {
        requireValidUsername(username);
        return db.write(c -> Sql.update(c, "INSERT INTO users (username, password_hash, role, created_at, "
                + "disabled) VALUES (?, ?, ?, ?, 0) ON CONFLICT (username) DO NOTHING", username, passwordHash,
                role.name(), System.currentTimeMillis()) == 1);
    }

    public Optional<User> find(String username) {
        return db.withConnection(c -> Sql.one(c, "SELECT * FROM users WHERE username = ?", rs -> new User(
                rs.getString("username"), rs.getString("password_hash"), Role.parse(rs.getString("role")),
                rs.getLong("created_at"), rs.getInt("disabled") != 0), username));
    }

    public List<User> list() {
        return db.withConnection(c -> Sql.query(c, "SELECT * FROM users ORDER BY username", rs -> new User(
                rs.getString("username"), "", Role.parse(rs.getString("role")), rs.getLong("created_at"),
                rs.getInt("disabled") != 0)));
    }

    public long count() {
        return db.withConnection(c -> Sql.one(c, "SELECT COUNT(*) AS n FROM users", rs -> rs.getLong("n")).orElse(0L));
    }

    public Optional<User> find(java.sql.Connection c, String username) throws java.sql.SQLException {
        return Sql.one(c, "SELECT * FROM users WHERE username = ?", rs -> new User(rs.getString("username"),
                rs.getString("password_hash"), Role.parse(rs.getString("role")), rs.getLong("created_at"),
                rs.getInt("disabled") != 0), username);
    }

    public boolean setDisabled(java.sql.Connection c, String username, boolean disabled) throws java.sql.SQLException {
        return Sql.update(c, "UPDATE users SET disabled = ? WHERE username = ?", disabled ? 1 : 0, username) == 1;
    }

    public boolean setPasswordHash(java.sql.Connection c, String username, String hash) throws java.sql.SQLException {
        return Sql.update(c, "UPDATE users SET password_hash = ? WHERE username = ?", hash, username) == 1;
    }

    /** Removes the operator with its sessions, API tokens and reset tokens (the audit log keeps its history). */
    public boolean delete(java.sql.Connection c, String username) throws java.sql.SQLException {
        Sql.update(c, "DELETE FROM sessions WHERE username = ?", username);
        Sql.update(c, "DELETE FROM api_tokens WHERE username = ?", username);
        Sql.update(c, "DELETE FROM password_resets WHERE username = ?", username);
        return Sql.update(c, "DELETE FROM users WHERE username = ?", username) == 1;
    }

    public long enabledAdmins(java.sql.Connection c) throws java.sql.SQLException {
        return Sql.one(c, "SELECT COUNT(*) AS n FROM users WHERE role = ? AND disabled = 0", rs -> rs.getLong("n"),
                Role.ADMIN.name()).orElse(0L);
    }
}
