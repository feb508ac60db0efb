package org.stationtrust.server.internal.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stationtrust.server.testing.TestDatabases;
import org.stationtrust.testsupport.TestPostgres;

/**
 * Migration V15 moves the stored boot logs out of machine_boot (the row every attestation updates) into
 * machine_boot_logs, on SQLite and on PostgreSQL: nothing stored is lost, and what is recorded afterwards lands there.
 */
class BootLogsApartTest {
    private static final String ACCEPTED = "QUNDRVBURUQ=".repeat(5_000);
    private static final String FLAGGED = "RkxBR0dFRA==";

    @TempDir
    Path dir;

    @Test
    void theLogsStoredBeforeTheMigrationAreReadAfterItAndNewOnesGoToTheirOwnTableOnSqlite() {
        try (Database db = Database.open(TestDatabases.sqliteUrl(dir), null, null)) {
            migrateAndCheck(db);
        }
    }

    @Test
    void theLogsStoredBeforeTheMigrationAreReadAfterItAndNewOnesGoToTheirOwnTableOnPostgresql() throws Exception {
        assumeTrue(TestPostgres.binaries() != null, "PostgreSQL not installed: apt-get install -y postgresql");
        try (TestPostgres pg = TestPostgres.start();
             Database db = Database.open(pg.createDatabase("bootlogs"), "postgres", null)) {
            migrateAndCheck(db);
        }
    }

    private static void migrateAndCheck(Database db) {
        seedAtV14(db);
        List<Integer> applied = new Migrations(db).apply();
        assertEquals(15, applied.get(0), "V15 ran first: " + applied);

        BootStore boot = new BootStore(db);
        BootStore.MachineBoot withBoth = boot.machine("m1").orElseThrow();
        assertEquals(ACCEPTED, withBoth.acceptedLog(), "the accepted log, whole");
        assertEquals(FLAGGED, withBoth.flaggedLog());
        assertEquals("ab".repeat(32), withBoth.acceptedLogSha256(), "the columns that stay are untouched");
        assertEquals("PASSED", withBoth.lastResult());
        BootStore.MachineBoot without = boot.machine("m2").orElseThrow();
        assertNull(without.acceptedLog());
        assertNull(without.flaggedLog());
        assertEquals(1, count(db, "SELECT COUNT(*) FROM machine_boot_logs"), "a row only for the machine with logs");
        boolean gone = db.withConnection(c -> {
            try (var s = c.createStatement()) {
                s.executeQuery("SELECT accepted_log FROM machine_boot").close();
                return false;
            } catch (java.sql.SQLException e) {
                return true;
            }
        });
        assertTrue(gone, "machine_boot holds no log column any more");

        // recorded afterwards: the accepted log of m2 and a flagged log of m1, each in machine_boot_logs
        db.inTransaction(c -> {
            boot.record(c, "m2", new BootStore.Judged("PASSED", null, null, "ok", "[]", "{}", List.of(), "{}",
                    "cd".repeat(32), "TkVX", "{}", null, null));
            boot.record(c, "m1", new BootStore.Judged("BOOT_LOG_MISMATCH", null, null, "no", "[]", "{}", List.of(),
                    "{}", null, null, null, "QU5PVEhFUg==", null));
            return null;
        });
        assertEquals("TkVX", boot.machine("m2").orElseThrow().acceptedLog());
        assertEquals("cd".repeat(32), boot.machine("m2").orElseThrow().acceptedLogSha256());
        assertEquals("QU5PVEhFUg==", boot.machine("m1").orElseThrow().flaggedLog());
        assertEquals(ACCEPTED, boot.machine("m1").orElseThrow().acceptedLog(), "a flagged boot leaves the accepted log");
        assertEquals(2, count(db, "SELECT COUNT(*) FROM machine_boot_logs"));
    }

    private static long count(Database db, String sql) {
        return db.withConnection(c -> Sql.one(c, sql, rs -> rs.getLong(1)).orElseThrow());
    }

    /** The schema as V14 left it: machine m1 with an accepted and a flagged log, m2 with a verdict and no log. */
    private static void seedAtV14(Database db) {
        db.inTransaction(c -> {
            try (java.sql.Statement st = c.createStatement()) {
                st.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, name VARCHAR(200) NOT NULL, "
                        + "applied_at BIGINT NOT NULL)");
                for (Migrations.Migration m : Migrations.load().subList(0, 14)) {
                    for (String statement : Migrations.statements(m.sql())) st.execute(statement);
                    Sql.update(c, "INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)",
                            m.version(), m.name(), 0L);
                }
            }
            try (PreparedStatement m = c.prepareStatement("INSERT INTO machines (id, name, state, ek_public, ek_name, "
                    + "ek_verified, ak_public, request_source, created_at, attestation_status) VALUES (?, ?, 'ACTIVE', "
                    + "'AAAA', ?, 1, 'AAAA', 'test', 0, 'OK')");
                 PreparedStatement b = c.prepareStatement("INSERT INTO machine_boot (machine_id, accepted_log_sha256, "
                         + "accepted_log, accepted_at, last_result, last_at, flagged_log, flagged_at) VALUES (?, ?, ?, "
                         + "0, 'PASSED', 0, ?, ?)")) {
                for (String id : List.of("m1", "m2")) {
                    m.setString(1, id);
                    m.setString(2, "pc-" + id);
                    m.setString(3, "ek-" + id);
                    m.executeUpdate();
                    boolean logs = id.equals("m1");
                    b.setString(1, id);
                    b.setString(2, logs ? "ab".repeat(32) : null);
                    b.setString(3, logs ? ACCEPTED : null);
                    b.setString(4, logs ? FLAGGED : null);
                    if (logs) b.setLong(5, 0L);
                    else b.setNull(5, java.sql.Types.BIGINT);
                    b.executeUpdate();
                }
            }
            return null;
        });
    }
}
