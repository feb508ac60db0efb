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
}
