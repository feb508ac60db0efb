package org.stationtrust.server.internal.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stationtrust.server.Role;
import org.stationtrust.server.internal.audit.AuditLog;
import org.stationtrust.server.testing.SoftwareEnrollee;
import org.stationtrust.server.testing.TestServer;
import org.stationtrust.testsupport.TestPostgres;

/**
 * The backup and restore of docs/operations.md, done with the commands it names: a backup taken while the
 * server runs, restored into a fresh instance (new database, new process, the same nonce key), and a
 * station enrolled before the backup attests against the restored instance.
 */
class BackupRestoreTest {
    @TempDir
    Path dir;

    @Test
    void aSqliteBackupTakenWhileServingRestoresIntoAFreshInstanceAStationAttestsAgainst() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/sqlite3")), "sqlite3 is missing (apt-get install sqlite3)");
        Path live = Files.createDirectories(dir.resolve("live"));
        Path backup = dir.resolve("server-enroll.db.backup");
        SoftwareEnrollee station = new SoftwareEnrollee("backup-laptop");
        java.util.Map<Role, String> tokens;
        try (TestServer original = TestServer.start(live)) {
            original.enrollAcross(original, station, "before the backup");
            assertEquals("PASSED", attest(original, station));
            tokens = original.tokens;
            // SQLite's online backup: a consistent copy while the server keeps writing (WAL mode).
            run("sqlite3", live.resolve("server.db").toString(), ".backup '" + backup + "'");
        }
        Path fresh = Files.createDirectories(dir.resolve("fresh"));
        Files.copy(backup, fresh.resolve("server-enroll.db"));
        String url = "jdbc:sqlite:" + fresh.resolve("server-enroll.db");
        try (TestServer restored = TestServer.second(url, null, null, tokens, b -> b)) {
            assertRestoredInstanceServesTheStation(restored, station);
        }
    }

    @Test
    void aPostgresDumpRestoresIntoAFreshDatabaseAStationAttestsAgainst() throws Exception {
        String bin = TestPostgres.binaries();
        assumeTrue(bin != null, "PostgreSQL is not installed (apt-get install -y postgresql)");
        try (TestPostgres pg = TestPostgres.start()) {
            String liveUrl = pg.createDatabase("enroll");
            SoftwareEnrollee station = new SoftwareEnrollee("pg-backup-laptop");
            Path dump = dir.resolve("enroll.dump");
            java.util.Map<Role, String> tokens;
            try (TestServer original = TestServer.start(liveUrl, "postgres", "", b -> b)) {
                original.enrollAcross(original, station, "before the backup");
                assertEquals("PASSED", attest(original, station));
                tokens = original.tokens;
                // pg_dump takes a consistent snapshot while the server keeps writing.
                run(bin + "/pg_dump", "--format=custom", "--no-owner", "--dbname=" + libpq(liveUrl), "--file=" + dump);
            }
            String freshUrl = pg.createDatabase("enroll_restored");
            run(bin + "/pg_restore", "--no-owner", "--exit-on-error", "--dbname=" + libpq(freshUrl), dump.toString());
            try (TestServer restored = TestServer.second(freshUrl, "postgres", "", tokens, b -> b)) {
                assertRestoredInstanceServesTheStation(restored, station);
            }
        }
    }

    private static void assertRestoredInstanceServesTheStation(TestServer restored, SoftwareEnrollee station) {
        assertEquals(new Migrations(restored.db).latestVersion(), new Migrations(restored.db).currentVersion(),
                "the restored schema is current");
        assertEquals("ACTIVE", TestServer.json(restored.as(Role.AUDITOR, "GET", "/api/v1/admin/machines/" + station.machineId, null))
                .path("state").asText(), "the machine approved before the backup");
        assertEquals("PASSED", attest(restored, station), "the station attests against the restored instance");
        assertTrue(new AuditLog(restored.db).verify().intact(), "the restored audit chain, with the new attestation, is intact");
    }

    private static String attest(TestServer server, SoftwareEnrollee s) {
        HttpResponse<String> n = server.signedBy(s, "POST", "/api/v1/attestation/nonces", "{\"purpose\":\"quote\"}");
        assertEquals(201, n.statusCode(), n.body());
        HttpResponse<String> q = server.signedBy(s, "POST", "/api/v1/attestation/quotes",
                s.quoteJson(TestServer.json(n).path("nonce").asText()).toString());
        assertEquals(200, q.statusCode(), q.body());
        return TestServer.json(q).path("result").asText();
    }

    /** jdbc:postgresql://host:port/db as the libpq URL pg_dump and pg_restore take (trust authentication in the test cluster). */
    private static String libpq(String jdbcUrl) {
        return jdbcUrl.replaceFirst("^jdbc:postgresql://([^/]+)/", "postgresql://postgres@$1/");
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), String.join(" ", command) + " did not finish");
        assertEquals(0, p.exitValue(), String.join(" ", command) + ":\n" + out);
    }
}
