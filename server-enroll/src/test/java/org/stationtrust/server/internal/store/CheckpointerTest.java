package org.stationtrust.server.internal.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stationtrust.server.testing.TestDatabases;

class CheckpointerTest {
    @TempDir
    Path dir;

    @Test
    void committedLogPagesReachTheDatabaseFileWithoutTheWriterCheckpointing() throws Exception {
        try (Database db = TestDatabases.migratedSqlite(dir)) {
            db.withConnection(c -> Sql.update(c, "CREATE TABLE ck_probe (k TEXT PRIMARY KEY, v TEXT)"));
            long before = db.walPagesCheckpointed();
            for (int i = 0; i < 200; i++) {
                int n = i;
                db.batched(c -> Sql.update(c, "INSERT INTO ck_probe (k, v) VALUES (?, ?)", "k" + n, "x".repeat(500)));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (db.walPagesCheckpointed() == before && System.nanoTime() < deadline) {
                LockSupport.parkNanos(20_000_000);
            }
            assertTrue(db.walPagesCheckpointed() > before, "the background thread copied log pages");
            assertEquals(200, (int) db.<Integer>withConnection(c -> Sql.one(c, "SELECT COUNT(*) FROM ck_probe",
                    rs -> rs.getInt(1)).orElseThrow()));
        }
        // What the database file holds once every connection is closed: all 200 rows, log or no log.
        try (Database again = Database.open(TestDatabases.sqliteUrl(dir), null, null)) {
            assertEquals(200, (int) again.<Integer>withConnection(c -> Sql.one(c, "SELECT COUNT(*) FROM ck_probe",
                    rs -> rs.getInt(1)).orElseThrow()));
        }
    }
}
