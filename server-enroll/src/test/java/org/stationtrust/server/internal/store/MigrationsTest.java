package org.stationtrust.server.internal.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stationtrust.server.internal.testing.TestDatabases;

class MigrationsTest {
    @TempDir
    Path dir;

    @Test
    void appliesEveryMigrationOnceAndRecordsItsVersion() {
        try (Database db = Database.open(TestDatabases.sqliteUrl(dir), null, null)) {
            Migrations migrations = new Migrations(db);
            assertEquals(0, migrations.currentVersion());
            List<Integer> first = migrations.apply();
            assertEquals(migrations.latestVersion(), migrations.currentVersion());
            assertEquals(first.size(), migrations.latestVersion());
            assertTrue(migrations.apply().isEmpty(), "a second run applies nothing");
        }
    }

    @Test
    void splitsStatementsAndSkipsComments() {
        List<String> s = Migrations.statements("-- a comment\nCREATE TABLE a (x INTEGER);\n\nINSERT INTO a VALUES (1);\n");
        assertEquals(List.of("CREATE TABLE a (x INTEGER)", "INSERT INTO a VALUES (1)"), s);
    }

    @Test
    void aNonceIsSpentExactlyOnceAndARequestNonceRecordedOnce() {
        try (Database db = TestDatabases.migratedSqlite(dir)) {
            db.withConnection(c -> {
                new MachineStore(db).insert(c, new MachineStore.NewMachine("m1", "pc", "ek", "ekname", null, false,
                        null, null, null, null, "ak", null, "127.0.0.1", null, null), null, "k", "spki");
                return null;
            });
            NonceStore nonces = new NonceStore(db);
            long now = System.currentTimeMillis();
            assertTrue(db.<Boolean>batched(c -> nonces.consume(c, "aa", "m1", "quote", now + 60_000, now)));
            assertTrue(!db.<Boolean>batched(c -> nonces.consume(c, "aa", "m1", "quote", now + 60_000, now)), "second use refused");
            assertTrue(!db.<Boolean>batched(c -> nonces.consume(c, "aa", "m1", "key-rotation", now + 60_000, now)),
                    "spent for every purpose");
            assertTrue(nonces.recordRequestNonce("m1", "n1", now + 1000));
            assertTrue(!nonces.recordRequestNonce("m1", "n1", now + 1000), "replayed request nonce refused");
        }
    }
}
