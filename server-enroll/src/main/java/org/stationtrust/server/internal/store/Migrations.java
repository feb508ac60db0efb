package org.stationtrust.server.internal.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Applies the versioned SQL files under {@code db/migration/} (listed in {@code index.txt}) in order,
 * once each, recording them in {@code schema_version}. The same files serve SQLite and PostgreSQL.
 * On PostgreSQL an advisory lock keeps two instances starting together from racing. A migration whose data change
 * differs between the two databases (reading stored JSON) has a Java step run right after its file, in the same
 * transaction ({@link #JAVA_STEPS}).
 */
public final class Migrations {
    private static final Pattern FILE = Pattern.compile("V(\\d+)__([a-z0-9_]+)\\.sql");
    private static final long PG_LOCK_KEY = 0x5354_454eL;

    /** Work a migration's SQL cannot say the same way on SQLite and PostgreSQL, run right after that version's file. */
    private static final Map<Integer, JavaStep> JAVA_STEPS = Map.of(12, FirmwareColumn::backfill);

    private final Database db;

    @FunctionalInterface
    interface JavaStep {
        void run(Connection c) throws SQLException;
    }

    public Migrations(Database db) {
        this.db = db;
    }

    public record Migration(int version, String name, String sql) {
    }

    /**
     * Applies pending migrations; returns the versions applied now.
     *
     * @throws SchemaNewerThanServer when a later release migrated the database past this server's newest version
     */
    public List<Integer> apply() {
        List<Migration> all = load();
        int latest = all.isEmpty() ? 0 : all.get(all.size() - 1).version();
        return db.inTransaction(c -> {
            if (db.kind() == Database.Kind.POSTGRESQL) {
                try (Statement s = c.createStatement()) {
                    s.execute("SELECT pg_advisory_xact_lock(" + PG_LOCK_KEY + ")");
                }
            }
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, "
                        + "name VARCHAR(200) NOT NULL, applied_at BIGINT NOT NULL)");
            }
            int current = currentVersion(c);
            if (current > latest) throw new SchemaNewerThanServer(current, latest);
            List<Integer> applied = new ArrayList<>();
            for (Migration m : all) {
                if (m.version() <= current) continue;
                try (Statement s = c.createStatement()) {
                    for (String statement : statements(m.sql())) s.execute(statement);
                }
                JavaStep step = JAVA_STEPS.get(m.version());
                if (step != null) step.run(c);
                Sql.update(c, "INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)",
                        m.version(), m.name(), System.currentTimeMillis());
                applied.add(m.version());
            }
            return applied;
        });
    }

    /** The highest applied version, 0 for an empty database. */
    public int currentVersion() {
        return db.withConnection(c -> {
            try {
                return currentVersion(c);
            } catch (SQLException e) {
                return 0;
            }
        });
    }

    public int latestVersion() {
        List<Migration> all = load();
        return all.isEmpty() ? 0 : all.get(all.size() - 1).version();
    }

    private static int currentVersion(Connection c) throws SQLException {
        return Sql.one(c, "SELECT MAX(version) AS v FROM schema_version", rs -> rs.getInt("v")).orElse(0);
    }

    static List<Migration> load() {
        List<Migration> out = new ArrayList<>();
        int expected = 1;
        for (String file : read("db/migration/index.txt").split("\\R")) {
            file = file.strip();
            if (file.isEmpty()) continue;
            Matcher m = FILE.matcher(file);
            if (!m.matches()) throw new IllegalStateException("Migration file name '" + file
                    + "' does not match V<n>__<name>.sql");
            int version = Integer.parseInt(m.group(1));
            if (version != expected) throw new IllegalStateException("Migration versions must be consecutive: "
                    + "expected V" + expected + ", found " + file);
            out.add(new Migration(version, m.group(2), read("db/migration/" + file)));
            expected++;
        }
        return out;
    }

    /** Splits on ';' at line ends; the migration files keep one statement per ';'-terminated block. */
    static List<String> statements(String sql) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : sql.split("\\R")) {
            String trimmed = line.strip();
            if (trimmed.startsWith("--") || trimmed.isEmpty()) continue;
            current.append(line).append('\n');
            if (trimmed.endsWith(";")) {
                String stmt = current.toString().strip();
                out.add(stmt.substring(0, stmt.length() - 1));
                current.setLength(0);
            }
        }
        if (!current.toString().isBlank()) out.add(current.toString().strip());
        return out;
    }

    private static String read(String resource) {
        try (InputStream in = Migrations.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException("Missing migration resource " + resource);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read migration resource " + resource, e);
        }
    }
}
