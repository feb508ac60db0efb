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
 * Migration V15 moves the large boot documents (logs, accepted summary, last state) out of machine_boot, the row every
 * attestation updates, into machine_boot_documents, on SQLite and on PostgreSQL: nothing stored is lost, and what is
 * recorded afterwards lands there, with the digest of the last state in the small row.
 */
class BootDocumentsApartTest {
    private static final String ACCEPTED = "QUNDRVBURUQ=".repeat(5_000);
    private static final String FLAGGED = "RkxBR0dFRA==";
    private static final String SUMMARY = "{\"dbx\":[\"" + "ab".repeat(32) + "\"]}";
    private static final String STATE = "{\"secureBoot\":\"ON\"}";

    @TempDir
    Path dir;

    @Test
    void theDocumentsStoredBeforeTheMigrationAreReadAfterItAndNewOnesGoToTheirOwnTableOnSqlite() {
        try (Database db = Database.open(TestDatabases.sqliteUrl(dir), null, null)) {
            migrateAndCheck(db);
        }
    }

    @Test
    void theDocumentsStoredBeforeTheMigrationAreReadAfterItAndNewOnesGoToTheirOwnTableOnPostgresql() throws Exception {
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
        assertEquals(SUMMARY, withBoth.acceptedSummary());
        assertEquals(STATE, withBoth.lastState());
        assertEquals("ab".repeat(32), withBoth.acceptedLogSha256(), "the columns that stay are untouched");
        assertEquals("PASSED", withBoth.lastResult());
        BootStore.MachineBoot without = boot.machine("m2").orElseThrow();
        assertNull(without.acceptedLog());
        assertNull(without.flaggedLog());
        assertNull(without.lastState());
        assertEquals(1, count(db, "SELECT COUNT(*) FROM machine_boot_documents"), "a row only for the machine with some");
        assertNull(db.withConnection(c -> boot.glance(c, "m1")).orElseThrow().lastStateSha256(),
                "no digest for a state recorded before: the next attestation takes the full path and writes one");
        boolean gone = db.withConnection(c -> {
            try (var s = c.createStatement()) {
                s.executeQuery("SELECT last_state FROM machine_boot").close();
                return false;
            } catch (java.sql.SQLException e) {
                return true;
            }
        });
        assertTrue(gone, "machine_boot holds no document column any more");

        // recorded afterwards: the accepted log of m2 and a flagged log of m1, each in machine_boot_documents
        db.inTransaction(c -> {
            boot.record(c, "m2", new BootStore.Judged("PASSED", null, null, "ok", "[]", "{}", List.of(), "{}",
                    "cd".repeat(32), "TkVX", "{}", null, null));
            boot.record(c, "m1", new BootStore.Judged("BOOT_LOG_MISMATCH", null, null, "no", "[]", "{}", List.of(),
                    "{}", null, null, null, "QU5PVEhFUg==", null));
            return null;
        });
        assertEquals("TkVX", boot.machine("m2").orElseThrow().acceptedLog());
        assertEquals("{}", boot.machine("m2").orElseThrow().lastState());
        assertEquals(BootStore.stateDigest("{}"), db.withConnection(c -> boot.glance(c, "m2")).orElseThrow()
                .lastStateSha256(), "the small row tells the state by its digest");
        assertEquals("cd".repeat(32), boot.machine("m2").orElseThrow().acceptedLogSha256());
        assertEquals("QU5PVEhFUg==", boot.machine("m1").orElseThrow().flaggedLog());
        assertEquals(ACCEPTED, boot.machine("m1").orElseThrow().acceptedLog(), "a flagged boot leaves the accepted log");
        assertEquals(2, count(db, "SELECT COUNT(*) FROM machine_boot_documents"));
    }

    private static long count(Database db, String sql) {
        return db.withConnection(c -> Sql.one(c, sql, rs -> rs.getLong(1)).orElseThrow());
    }

    /** The schema as V14 left it: m1 with logs, summary and state, m2 with a verdict and none of them. */
    private static void seedAtV14(Database db) {
        db.inTransaction(c -> {
            SchemaAt.create(c, 14);
            try (PreparedStatement m = c.prepareStatement("INSERT INTO machines (id, name, state, ek_public, ek_name, "
                    + "ek_verified, ak_public, request_source, created_at, attestation_status) VALUES (?, ?, 'ACTIVE', "
                    + "'AAAA', ?, 1, 'AAAA', 'test', 0, 'OK')");
                 PreparedStatement b = c.prepareStatement("INSERT INTO machine_boot (machine_id, accepted_log_sha256, "
                         + "accepted_log, accepted_at, last_result, last_at, flagged_log, flagged_at, accepted_summary, "
                         + "last_state) VALUES (?, ?, ?, 0, 'PASSED', 0, ?, ?, ?, ?)")) {
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
                    b.setString(6, logs ? SUMMARY : null);
                    b.setString(7, logs ? STATE : null);
                    b.executeUpdate();
                }
            }
            return null;
        });
    }
}
