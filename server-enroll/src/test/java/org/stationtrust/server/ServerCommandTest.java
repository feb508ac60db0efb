package org.stationtrust.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stationtrust.protocol.EnrollmentState;
import org.stationtrust.server.internal.store.Database;
import org.stationtrust.server.testing.SoftwareStation;
import org.stationtrust.server.testing.TestServer;

/**
 * The CLI: migrate, the first admin from an env var or a 0600 file (never a default), tokens, audit verify, history
 * pruning.
 */
class ServerCommandTest {
    @TempDir
    Path dir;
    private final PrintStream originalOut = System.out;

    @AfterEach
    void restore() {
        System.setOut(originalOut);
        ServerCommand.environment = System.getenv();
    }

    private String run(int expectedExit, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true));
        int code = ServerCommand.run(args);
        System.setOut(originalOut);
        assertEquals(expectedExit, code, String.join(" ", args) + " -> " + out);
        return out.toString();
    }

    /** Runs the command and returns what it printed on standard error, where refusals go. */
    private String refusal(int expectedExit, String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream originalErr = System.err;
        System.setErr(new PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            run(expectedExit, args);
        } finally {
            System.setErr(originalErr);
        }
        return err.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    private String db() {
        return "--db=jdbc:sqlite:" + dir.resolve("cli.db");
    }

    @Test
    void createsTheFirstAdminFromTheEnvironmentAndIssuesTokens() {
        run(0, "migrate", db());
        ServerCommand.environment = Map.of();
        run(2, "user", "add", "root", "--role", "admin", db());
        ServerCommand.environment = Map.of("SERVER_USER_PASSWORD", "a long admin passphrase");
        assertTrue(run(0, "user", "add", "root", "--role", "admin", db()).contains("added root"));
        String token = run(0, "token", "issue", "--user", "root", db()).strip();
        assertTrue(token.startsWith("sta_"), token);
        String enrollment = run(0, "token", "issue", "--enrollment", "--label", "laptop 3", db()).strip();
        assertTrue(enrollment.startsWith("ste_"), enrollment);
        assertTrue(run(0, "audit", "verify", db()).contains("intact: 3 events"));
    }

    @Test
    void readsThePasswordFromAnOwnerOnlyFileAndRefusesAReadableOne() throws Exception {
        run(0, "migrate", db());
        Path file = dir.resolve("pw");
        Files.writeString(file, "another long passphrase\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        ServerCommand.environment = Map.of();
        run(2, "user", "add", "ops", "--role", "approver", "--password-file", file.toString(), db());
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        run(0, "user", "add", "ops", "--role", "approver", "--password-file", file.toString(), db());
    }

    @Test
    void aSecretFileThatIsMissingOrBelongsToAnotherUserIsRefusedNamingTheFix() throws Exception {
        run(0, "migrate", db());
        ServerCommand.environment = Map.of();
        Path file = dir.resolve("pw");
        String missing = refusal(2, "user", "add", "ops", "--role", "approver", "--password-file", file.toString(), db());
        assertTrue(missing.contains("--password-file " + file + " does not exist"), missing);

        Files.writeString(file, "another long passphrase\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        String me = System.getProperty("user.name");
        Assumptions.assumeTrue("root".equals(me), "giving a file to another user needs root");
        Files.setOwner(file, file.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody"));
        String foreign = refusal(2, "user", "add", "ops", "--role", "approver", "--password-file", file.toString(), db());
        assertTrue(foreign.contains("belongs to nobody, not to root") && foreign.contains("run: chown root " + file),
                foreign);
        Files.setOwner(file, file.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(me));
        run(0, "user", "add", "ops", "--role", "approver", "--password-file", file.toString(), db());
    }

    @Test
    void aDatabaseALaterReleaseMigratedIsRefusedByMigrateAndServeSayingToUpgradeThisServerAsAConfigurationError() throws Exception {
        run(0, "migrate", db());
        int newest;
        try (Database d = Database.open("jdbc:sqlite:" + dir.resolve("cli.db"), null, null)) {
            newest = new org.stationtrust.server.internal.store.Migrations(d).latestVersion();
            d.withConnection(c -> {
                try (PreparedStatement s = c.prepareStatement(
                        "INSERT INTO schema_version (version, name, applied_at) VALUES (?, 'from_a_later_release', 0)")) {
                    s.setInt(1, newest + 1);
                    return s.executeUpdate();
                }
            });
        }
        String migrate = refusal(78, "migrate", db());
        assertTrue(migrate.contains("schema is at version " + (newest + 1) + ", newer than this server knows (its newest is "
                + newest + ")") && migrate.contains("Upgrade this server"), migrate);
        String serve = refusal(78, "serve", db(), "--dev", "--port", "0");
        assertTrue(serve.contains("newer than this server knows") && !serve.contains("run: server-enroll migrate"), serve);
    }

    @Test
    void aDatabaseUrlOfNoSupportedKindIsAConfigurationErrorWhileAnUnreachableDatabaseIsRetried() {
        ServerCommand.environment = Map.of();
        String refused = refusal(78, "migrate", "--db", "jdbc:postgres://127.0.0.1/enroll");
        assertTrue(refused.contains("Unsupported database URL") && refused.contains("jdbc:postgresql://host:port/db"),
                refused);
        String unreachable = "jdbc:postgresql://127.0.0.1:" + org.stationtrust.testsupport.FreePorts.loopback() + "/enroll";
        assertTrue(refusal(2, "migrate", "--db", unreachable).contains("cannot connect to the database"));
    }

    @Test
    void aPostgresqlDatabaseNobodyAnswersOnIsNamedWithItsUserAndWhereThePasswordGoes() {
        ServerCommand.environment = Map.of();
        String url = "jdbc:postgresql://127.0.0.1:" + org.stationtrust.testsupport.FreePorts.loopback() + "/enroll";
        String refused = refusal(2, "migrate", "--db", url + "?password=not-in-the-message", "--db-user", "enroll");
        assertTrue(refused.contains("cannot connect to the database " + url + " as enroll: ")
                && refused.contains("refused"), refused);
        assertTrue(refused.contains("no database password was given") && refused.contains("SERVER_DB_PASSWORD_FILE"), refused);
        assertTrue(!refused.contains("not-in-the-message"), "the URL's query may hold a password: " + refused);
    }

    @Test
    void auditVerifyFailsOnATamperedChain() throws Exception {
        run(0, "migrate", db());
        ServerCommand.environment = Map.of("SERVER_USER_PASSWORD", "a long admin passphrase");
        run(0, "user", "add", "a1", "--role", "admin", db());
        run(0, "user", "add", "a2", "--role", "auditor", db());
        try (Database d = Database.open("jdbc:sqlite:" + dir.resolve("cli.db"), null, null)) {
            d.withConnection(c -> {
                try (Statement s = c.createStatement()) {
                    return s.executeUpdate("UPDATE audit_events SET actor = 'someone' WHERE seq = 1");
                }
            });
        }
        String out = run(1, "audit", "verify", db());
        assertTrue(out.contains("BROKEN") && out.contains("row 1"), out);
    }

    @Test
    void serveRefusesToStartWithoutTlsMaterial() {
        run(0, "migrate", db());
        assertNotEquals(0, ServerCommand.run("serve", db(), "--port", "0"));
    }

    @Test
    void takesOptionDefaultsFromTheConfigFileAndLetsTheCommandLineOverrideThem() throws Exception {
        Path config = dir.resolve("server-enroll.conf");
        Files.writeString(config, "# as in /etc/server-enroll\ndb = jdbc:sqlite:" + dir.resolve("from-file.db")
                + "\nport = 8443\nmigrate = true\n");
        ServerCommand.environment = Map.of("SERVER_ENROLL_CONFIG", config.toString());
        assertTrue(run(0, "migrate").contains("schema at version"));
        assertTrue(Files.exists(dir.resolve("from-file.db")), "migrate used the file's db");
        run(0, "migrate", db());
        assertTrue(Files.exists(dir.resolve("cli.db")), "--db on the command line wins over the file");
    }

    @Test
    void refusesAConfigFileWithAnUnknownOrEmptySettingAsAConfigurationError() throws Exception {
        Path config = dir.resolve("server-enroll.conf");
        ServerCommand.environment = Map.of("SERVER_ENROLL_CONFIG", config.toString());
        Files.writeString(config, "db = jdbc:sqlite:" + dir.resolve("x.db") + "\nekTrustStore = /etc/cas\n");
        String err = runCapturingErr(78, "migrate");
        assertTrue(err.contains("unknown setting(s) [ekTrustStore]") && err.contains("ek-trust-store"), err);
        Files.writeString(config, "db-user =\n");
        assertTrue(runCapturingErr(78, "migrate").contains("'db-user' has no value"));
        Files.delete(config);
        assertTrue(runCapturingErr(78, "migrate").contains("cannot read the configuration " + config));
        assertTrue(!Files.exists(dir.resolve("x.db")), "nothing was done with a refused configuration");
    }

    private String runCapturingErr(int expectedExit, String... args) {
        PrintStream originalErr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true));
        try {
            run(expectedExit, args);
        } finally {
            System.setErr(originalErr);
        }
        return err.toString();
    }

    @Test
    void historyPruneRemovesOnlyRowsOlderThanTheAgeAuditsItAndRefusesLessThanAWeek() throws Exception {
        String url = "jdbc:sqlite:" + dir.resolve("cli.db");
        run(0, "migrate", db());
        long now = System.currentTimeMillis();
        long day = 86_400_000L;
        long[] ages = {400, 31, 29, 1};
        try (Database d = Database.open(url, null, null)) {
            for (int m = 0; m < 3; m++) {
                String id = TestServer.seedMachine(d, new SoftwareStation(), EnrollmentState.ACTIVE, false);
                d.inTransaction(c -> {
                    for (long age : ages) {
                        try (PreparedStatement s = c.prepareStatement("INSERT INTO attestations (id, machine_id, at,"
                                + " outcome, detail, pcrs) VALUES (?, ?, ?, 'PASSED', 'seeded', NULL)")) {
                            s.setString(1, java.util.UUID.randomUUID().toString());
                            s.setString(2, id);
                            s.setLong(3, now - age * day);
                            s.executeUpdate();
                        }
                    }
                    return null;
                });
            }
        }
        assertTrue(run(2, "history", "prune", "--older-than", "P6D", db()).isEmpty(), "refused, nothing done");
        assertEquals(12, count(url, "SELECT COUNT(*) FROM attestations"));

        String out = run(0, "history", "prune", "--older-than", "P30D", db());
        assertTrue(out.contains("removed 6 attestation rows of 3 machines"), out);
        assertEquals(0, count(url, "SELECT COUNT(*) FROM attestations WHERE at < " + (now - 30 * day)));
        assertEquals(6, count(url, "SELECT COUNT(*) FROM attestations"), "the rows younger than 30 days stay");
        assertEquals(1, count(url, "SELECT COUNT(*) FROM audit_events WHERE action = 'attestation_history.prune'"));
        assertTrue(run(0, "history", "prune", "--older-than", "P30D", db()).contains("removed 0 attestation rows"));
        assertTrue(run(0, "audit", "verify", db()).contains("intact"));
    }

    @Test
    void serveRefusesAnAttestationHistoryRetentionUnderAWeekSayingWhy() {
        run(0, "migrate", db());
        String err = runCapturingErr(2, "serve", db(), "--dev", "--port", "0", "--attestation-history-retention", "P3D");
        assertTrue(err.contains("attestation-history-retention must be at least 7 days (P7D), not P3D"), err);
    }

    private static long count(String url, String sql) {
        try (Database d = Database.open(url, null, null)) {
            return d.withConnection(c -> {
                try (Statement s = c.createStatement(); java.sql.ResultSet rs = s.executeQuery(sql)) {
                    rs.next();
                    return rs.getLong(1);
                }
            });
        }
    }
}
