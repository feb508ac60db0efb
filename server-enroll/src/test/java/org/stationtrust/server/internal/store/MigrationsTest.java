package org.stationtrust.server.internal.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stationtrust.server.testing.TestDatabases;

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
                new MachineStore(db).insert(c, new MachineStore.NewMachine("m1", "pc",
                        MachineStore.Endorsement.uncertified("ek", "ekname"), "ak", null, "127.0.0.1",
                        new MachineStore.Activation(null, null)), null, "k", "spki");
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

    @Test
    void nonceSpentBeforeTheV4RekeyingIsStillRefusedAfterIt() {
        try (Database db = Database.open(TestDatabases.sqliteUrl(dir), null, null)) {
            long now = System.currentTimeMillis();
            db.inTransaction(c -> {
                // The schema as V3 left it, with one nonce spent under the old key (nonce alone).
                SchemaAt.create(c, 3);
                new MachineStore(db).insert(c, new MachineStore.NewMachine("m1", "pc",
                        MachineStore.Endorsement.uncertified("ek", "ekname"), "ak", null, "127.0.0.1",
                        new MachineStore.Activation(null, null)), null, "k", "spki");
                Sql.update(c, "INSERT INTO attestation_nonces (nonce, machine_id, purpose, created_at, expires_at, "
                        + "consumed_at) VALUES ('bb', 'm1', 'quote', ?, ?, ?)", now, now + 60_000, now);
                return null;
            });
            assertEquals(List.of(4), new Migrations(db).apply().stream().filter(v -> v == 4).toList());
            NonceStore nonces = new NonceStore(db);
            assertTrue(!db.<Boolean>batched(c -> nonces.consume(c, "bb", "m1", "quote", now + 60_000, now)),
                    "the nonce spent before the migration stays spent");
            assertTrue(db.<Boolean>batched(c -> nonces.consume(c, "cc", "m1", "quote", now + 60_000, now)));
            assertEquals(2, (int) db.<Integer>withConnection(c -> Sql.one(c, "SELECT COUNT(*) FROM attestation_nonces",
                    rs -> rs.getInt(1)).orElseThrow()));
        }
    }

    @Test
    void timeOrderedIdsSortByCreationAndKeepTheShapeOfOtherIds() throws Exception {
        String first = org.stationtrust.server.internal.auth.Secrets.newTimeOrderedId();
        Thread.sleep(2);
        String second = org.stationtrust.server.internal.auth.Secrets.newTimeOrderedId();
        assertTrue(first.compareTo(second) < 0, first + " sorts before " + second);
        assertTrue(first.matches("[0-9a-f]{32}"), first);
        assertEquals(org.stationtrust.server.internal.auth.Secrets.newId().length(), first.length());
        assertTrue(!first.substring(12).equals(second.substring(12)), "the random part differs");
    }

    @Test
    void theDatabaseRefusesASecondCurrentKeyForOneMachine() {
        try (Database db = TestDatabases.migratedSqlite(dir)) {
            MachineStore machines = new MachineStore(db);
            db.inTransaction(c -> {
                machines.insert(c, new MachineStore.NewMachine("m1", "pc",
                        MachineStore.Endorsement.uncertified("ek", "ekname"), "ak", null, "127.0.0.1",
                        new MachineStore.Activation(null, null)), null, "k1", "spki1");
                return null;
            });
            StorageException refused = org.junit.jupiter.api.Assertions.assertThrows(StorageException.class,
                    () -> db.inTransaction(c -> {
                        machines.insertKey(c, "m1", "k2", "spki2", System.currentTimeMillis());
                        return null;
                    }));
            assertTrue(String.valueOf(refused.getCause()).contains("UNIQUE"), String.valueOf(refused.getCause()));
            String current = machines.currentKey("m1").orElseThrow().id();
            assertTrue(db.<Boolean>inTransaction(c -> machines.rotateKey(c, "m1", current, "k3", "spki3")),
                    "a rotation (retire, then insert) is still one current key at a time");
            assertEquals("k3", machines.findWithCurrentKey("m1").orElseThrow().key().orElseThrow().tpmPublic());
        }
    }
}
