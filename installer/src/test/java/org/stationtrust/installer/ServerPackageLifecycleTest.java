package org.stationtrust.installer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.stationtrust.installer.Host.assertOwnerAndMode;
import static org.stationtrust.installer.Host.digests;
import static org.stationtrust.installer.Host.dpkgInstall;
import static org.stationtrust.installer.Host.passwdField;
import static org.stationtrust.installer.Packages.Program.SERVER_ENROLL;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.stationtrust.testsupport.TestPostgres;

/**
 * The server package's life on this machine, in order: install, configure TLS, run on SQLite (migrations on
 * start), reinstall, upgrade, run on PostgreSQL by changing one setting, remove, purge. As root with dpkg (CI);
 * purged in {@link #purgeWhateverHappened()} even when a step fails. systemd is not PID 1 here, so the
 * service is started the way its unit would start it ({@link ServiceUnit}).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServerPackageLifecycleTest {
    private static final Path CONFIG = Path.of("/etc/server-enroll/server-enroll.conf");
    private static final Path SECRETS = Path.of("/etc/server-enroll/secrets");
    private static final Path STATE = Path.of("/var/lib/server-enroll");
    private static final Path DATABASE = STATE.resolve("server-enroll.db");
    private static final Path UNIT_LINK = Path.of("/etc/systemd/system/multi-user.target.wants/server-enroll.service");
    private static final Path UNIT_MASK = Path.of("/etc/systemd/system/server-enroll.service");
    private static final Pattern LISTENING = Pattern.compile("listening on (https://\\S+)");
    private static final String STORE_PASSWORD = "a store password for the test";

    @TempDir
    static Path work;
    static Packages.Built first;
    static Packages.Built upgrade;

    @BeforeAll
    static void buildTwoVersions() {
        Host.assumeCanInstallPackages();
        Host.takeMachine();
        Host.requireAbsent(SERVER_ENROLL);
        first = Packages.unsigned(SERVER_ENROLL, Packages.debianVersion());
        upgrade = Packages.unsigned(SERVER_ENROLL, Packages.debianVersion() + "+upgrade1");
    }

    @AfterAll
    static void purgeWhateverHappened() {
        try {
            if (Host.isRoot() && Host.hasCommand("dpkg")) Host.purge(SERVER_ENROLL);
        } finally {
            Host.releaseMachine();
        }
    }

    @Test
    @Order(1)
    void installPrintsTheNextStepsAndLeavesTheServiceEnabledButStopped() {
        Command.Result install = dpkgInstall(first);
        assertEquals(first.version(), Host.installedVersion(SERVER_ENROLL).orElseThrow());
        assertTrue(install.output().contains("server-enroll user add NAME --role admin --password-file FILE"), install.describe());
        assertTrue(install.output().contains("/etc/server-enroll/secrets/"), install.describe());
        assertTrue(Files.isSymbolicLink(UNIT_LINK), "the unit is enabled to start at boot: " + UNIT_LINK);
    }

    @Test
    @Order(2)
    void createsTheServiceUserItsPrivateDirectoriesAndANonceKeyOnlyItReads() throws IOException {
        assertEquals("/usr/sbin/nologin", passwdField("server-enroll", 6), "the service user has no login shell");
        assertEquals(List.of("server-enroll"), List.of(Command.of("id", "-nG", "server-enroll").run().requireSuccess().stdout().trim().split(" ")),
                "no supplementary group");
        assertOwnerAndMode(STATE, "server-enroll", "server-enroll", "rwx------");
        assertOwnerAndMode(SECRETS, "server-enroll", "server-enroll", "rwx------");
        assertOwnerAndMode(SECRETS.resolve("nonce-key"), "server-enroll", "server-enroll", "rw-------");
        assertTrue(Files.readString(SECRETS.resolve("nonce-key")).strip().length() >= 32, "a nonce key of at least 32 characters");
        assertOwnerAndMode(CONFIG, "root", "server-enroll", "rw-r-----");
        assertTrue(Command.of("dpkg-statoverride", "--list", CONFIG.toString()).run().stdout().contains("root server-enroll 640"));
    }

    @Test
    @Order(3)
    void systemdAcceptsTheInstalledUnit() {
        Command.Result verify = Command.of("systemd-analyze", "verify", SERVER_ENROLL.unitFile().toString()).run();
        assertEquals(0, verify.exit(), verify.describe());
        assertEquals("", verify.output().trim(), verify.describe());
    }

    @Test
    @Order(4)
    void installedCommandAnswersTheSameAsRootAndAsTheServiceWithoutWarnings() {
        Command.Result asRoot = Command.of("/usr/bin/server-enroll", "--help").run();
        assertEquals(0, asRoot.exit(), asRoot.describe());
        // Dropped to the service user with root's HOME, dpkg would warn that /root/.dpkg.cfg is unreadable.
        assertEquals("", asRoot.stderr(), "nothing on standard error as root: " + asRoot.describe());
        for (String command : List.of("serve", "migrate", "user", "token", "audit")) {
            assertTrue(asRoot.stdout().contains("\n  " + command + " "), "the installed CLI offers " + command + ":\n" + asRoot.stdout());
        }
        Command.Result asService = ServiceUnit.installed(SERVER_ENROLL).command(List.of("/usr/bin/server-enroll", "--help")).run();
        assertEquals(0, asService.exit(), asService.describe());
        assertEquals(asRoot.stdout(), asService.stdout());
    }

    @Test
    @Order(5)
    void theShippedConfigFailsClosedUntilTheAdminProvidesTheTlsKeyAndAnUnknownSettingIsNotRestarted() throws IOException {
        ServiceUnit unit = ServiceUnit.installed(SERVER_ENROLL);
        Command.Result noKey = unit.start(Map.of()).run();
        assertNotEquals(0, noKey.exit(), noKey.describe());
        assertTrue(noKey.output().contains("SERVER_KEYSTORE_PASSWORD"), "says what is missing:\n" + noKey.describe());
        assertFalse(Files.exists(DATABASE), "nothing was written before the configuration was complete");

        String good = Files.readString(CONFIG);
        try {
            writeConfig(good + "bind-address = 0.0.0.0\n");
            Command.Result typo = unit.start(Map.of()).run();
            assertEquals(78, typo.exit(), typo.describe());
            assertTrue(typo.stderr().contains("unknown setting(s) [bind-address]"), typo.describe());
            assertTrue(unit.restartPreventExitStatus().contains(78), "RestartPreventExitStatus= stops the restart loop for 78");
        } finally {
            writeConfig(good);
        }
    }

    @Test
    @Order(6)
    void aSecretFileOthersCanReadIsRefused() throws Exception {
        makeTlsKeyStore();
        Path password = SECRETS.resolve("keystore-password");
        Command.of("chmod", "0640", password.toString()).run().requireSuccess();
        try {
            Command.Result refused = ServiceUnit.installed(SERVER_ENROLL).start(Map.of()).run();
            assertNotEquals(0, refused.exit(), refused.describe());
            assertTrue(refused.output().contains("readable or writable by others; run: chmod 600 " + password), refused.describe());
        } finally {
            Command.of("chmod", "0600", password.toString()).run().requireSuccess();
        }
    }

    @Test
    @Order(7)
    void theServiceMigratesAFreshSqliteDatabaseAtStartAndServesTls() throws Exception {
        // The admin's edit: a free port for this test (8443 may be taken on a build machine).
        writeConfig(Files.readString(CONFIG).replace("port = 8443", "port = 0"));
        serveThenStop(work.resolve("sqlite.log"));
        assertOwnerAndMode(DATABASE, "server-enroll", "server-enroll", "rw-------");
        Command.Result migrate = Command.of("/usr/bin/server-enroll", "migrate").run().requireSuccess();
        assertTrue(migrate.stdout().contains("(applied now: [])"), "the service had applied every migration: " + migrate.describe());

        // The first administrator, with the password in a 0600 file of the service user.
        Path password = STATE.resolve("admin-password");
        Files.writeString(password, "a long admin passphrase for the test\n");
        Command.of("chown", "server-enroll:server-enroll", password.toString()).run().requireSuccess();
        Command.of("chmod", "0600", password.toString()).run().requireSuccess();
        Command.Result added = Command.of("/usr/bin/server-enroll", "user", "add", "alice", "--role", "admin",
                "--password-file", password.toString()).run();
        Files.delete(password);
        assertEquals(0, added.exit(), added.describe());
        assertOwnerAndMode(DATABASE, "server-enroll", "server-enroll", "rw-------");
    }

    @Test
    @Order(8)
    void theServiceCanWriteOnlyItsStateDirectoryUnderTheEmulatedSandbox() {
        assumeTrue(ServiceUnit.FILE_SYSTEM_SANDBOX, "this machine does not allow a private mount namespace (unshare -m)");
        String probe = "for d in \"$@\"; do if touch \"$d/probe\" 2>/dev/null; then echo \"$d rw\"; rm \"$d/probe\";"
                + " else echo \"$d ro\"; fi; done";
        Command.Result r = ServiceUnit.installed(SERVER_ENROLL).command(List.of("/bin/sh", "-c", probe, "probe",
                STATE.toString(), SECRETS.toString(), "/tmp")).run().requireSuccess();
        assertEquals(List.of(STATE + " rw", SECRETS + " ro", "/tmp rw"), r.stdout().lines().toList(),
                "the service reads its secrets but cannot change them");
    }

    @Test
    @Order(9)
    void reinstallingTheSameVersionChangesNothing() throws Exception {
        String uid = passwdField("server-enroll", 2);
        Map<String, String> secrets = digests(SECRETS);
        String config = Files.readString(CONFIG);
        Command.Result reinstall = dpkgInstall(first);
        assertTrue(reinstall.stdout().contains("reinstalled " + first.version()), reinstall.describe());
        assertEquals(uid, passwdField("server-enroll", 2), "the user is reused, not recreated");
        assertEquals(secrets, digests(SECRETS), "the nonce key and the TLS material are kept");
        assertEquals(config, Files.readString(CONFIG));
    }

    @Test
    @Order(10)
    void upgradeKeepsTheDatabaseTheSecretsAndTheEditedConfig() throws Exception {
        String editedConfig = Files.readString(CONFIG) + "# edited by the server admin\n";
        writeConfig(editedConfig);
        Map<String, String> database = digests(STATE);
        Map<String, String> secrets = digests(SECRETS);

        Command.Result upgraded = dpkgInstall(upgrade);
        assertTrue(upgraded.stdout().contains("upgraded from " + first.version()), upgraded.describe());
        assertEquals(upgrade.version(), Host.installedVersion(SERVER_ENROLL).orElseThrow());
        assertEquals(editedConfig, Files.readString(CONFIG), "dpkg kept the admin's config");
        assertOwnerAndMode(CONFIG, "root", "server-enroll", "rw-r-----");
        assertEquals(database, digests(STATE), "the database is unchanged");
        assertEquals(secrets, digests(SECRETS), "the secrets are unchanged");

        serveThenStop(work.resolve("after-upgrade.log"));
        Command.Result again = Command.of("/usr/bin/server-enroll", "user", "add", "alice", "--role", "admin").withEnvironment(
                Map.of("SERVER_USER_PASSWORD", "another long passphrase")).run();
        assertEquals(2, again.exit(), again.describe());
        assertTrue(again.stderr().contains("User 'alice' already exists"), "the operator made before the upgrade: " + again.describe());
    }

    @Test
    @Order(11)
    void oneSettingMovesTheServiceToPostgresqlWithThePasswordFromItsSecretFile() throws Exception {
        assumeTrue(TestPostgres.binaries() != null, "PostgreSQL is not installed (apt-get install -y postgresql)");
        String sqliteConfig = Files.readString(CONFIG);
        try (TestPostgres pg = TestPostgres.start()) {
            String url = pg.createDatabase("enroll");
            writeSecret("db-password", "unused by the test cluster's trust authentication");
            writeConfig(sqliteConfig.replaceFirst("(?m)^db = .*$", "db = " + url) + "db-user = postgres\n");
            serveThenStop(work.resolve("postgres.log"));
            Command.Result migrate = Command.of("/usr/bin/server-enroll", "migrate").run().requireSuccess();
            assertTrue(migrate.stdout().contains("(applied now: [])"), "migrated at start on PostgreSQL: " + migrate.describe());
            assertTrue(Files.readString(work.resolve("postgres.log")).contains("POSTGRESQL"), "the service ran on PostgreSQL");
        } finally {
            writeConfig(sqliteConfig);
            Files.deleteIfExists(SECRETS.resolve("db-password"));
        }
    }

    @Test
    @Order(12)
    void removeTakesTheProgramAndKeepsTheDatabaseConfigAndSecrets() {
        Command.Result remove = Command.of("dpkg", "--remove", SERVER_ENROLL.name).run().requireSuccess();
        assertTrue(remove.output().contains("stay until 'apt-get purge server-enroll'"), remove.describe());
        assertFalse(Files.exists(Path.of("/usr/bin/server-enroll")));
        assertFalse(Files.exists(Path.of("/usr/share/server-enroll")));
        assertTrue(Files.isRegularFile(DATABASE), "database kept");
        assertTrue(Files.isRegularFile(SECRETS.resolve("nonce-key")), "secrets kept");
        assertTrue(Files.isRegularFile(CONFIG), "config kept until purge");
        assertEquals("deinstall ok config-files", Host.status(SERVER_ENROLL).orElseThrow());
        assertTrue(Files.isSymbolicLink(UNIT_MASK), "the unit is masked while only its config remains");
    }

    @Test
    @Order(13)
    void purgeSaysWhatItDeletesThenLeavesTheMachineClean() {
        Command.Result purge = Command.of("dpkg", "--purge", SERVER_ENROLL.name).run().requireSuccess();
        assertTrue(purge.output().contains("deleting the SQLite database and audit log"), purge.describe());
        assertTrue(Host.status(SERVER_ENROLL).isEmpty(), "dpkg no longer knows server-enroll");
        for (String path : List.of("/etc/server-enroll", "/var/lib/server-enroll", "/usr/share/server-enroll",
                "/usr/share/doc/server-enroll", "/usr/bin/server-enroll", SERVER_ENROLL.unitFile().toString(),
                UNIT_LINK.toString(), UNIT_MASK.toString(),
                "/var/lib/systemd/deb-systemd-helper-enabled/server-enroll.service.dsh-also",
                "/var/lib/systemd/deb-systemd-helper-masked/server-enroll.service")) {
            assertFalse(Files.exists(Path.of(path), LinkOption.NOFOLLOW_LINKS), path + " is left behind");
        }
        assertFalse(Command.of("dpkg-statoverride", "--list").run().stdout().contains("server-enroll"), "statoverride removed");
        assertTrue(Command.of("getent", "passwd", "server-enroll").run().succeeded(), "the system user stays, as policy asks");
    }

    /**
     * The admin's first step: a PKCS#12 key store and its password in the secrets directory, 0600, owned by the
     * service, and a TPM manufacturer's root CA in tpm-ca.
     */
    private static void makeTlsKeyStore() throws IOException {
        Path store = SECRETS.resolve("server.p12");
        Files.deleteIfExists(store);
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Command.of(keytool, "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", store.toString(), "-storepass", STORE_PASSWORD, "-keypass", STORE_PASSWORD).run().requireSuccess();
        Command.of("chown", "server-enroll:server-enroll", store.toString()).run().requireSuccess();
        Command.of("chmod", "0600", store.toString()).run().requireSuccess();
        writeSecret("keystore-password", STORE_PASSWORD);
        // A TPM manufacturer's root CA: the server refuses to start without one in tpm-ca (it would trust no EK).
        Path ca = work.resolve("tpm-root.p12");
        Command.of(keytool, "-genkeypair", "-alias", "root", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
                "CN=Test TPM Root CA", "-ext", "BC:c=ca:true", "-ext", "KU:c=keyCertSign,cRLSign", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", ca.toString(), "-storepass", STORE_PASSWORD).run().requireSuccess();
        Command.of(keytool, "-exportcert", "-rfc", "-alias", "root", "-keystore", ca.toString(), "-storepass", STORE_PASSWORD,
                "-file", "/etc/server-enroll/tpm-ca/test-tpm-root.pem").run().requireSuccess();
    }

    private static void writeSecret(String name, String value) throws IOException {
        Path file = SECRETS.resolve(name);
        Files.writeString(file, value + "\n");
        Command.of("chown", "server-enroll:server-enroll", file.toString()).run().requireSuccess();
        Command.of("chmod", "0600", file.toString()).run().requireSuccess();
    }

    private static void writeConfig(String text) throws IOException {
        Files.write(CONFIG, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Starts the unit's ExecStart as systemd would, waits for it to listen, checks /health and /ready over TLS
     * trusting only the key store's certificate, then stops it with SIGTERM (a clean stop for SuccessExitStatus=).
     */
    private static void serveThenStop(Path log) throws Exception {
        ServiceUnit unit = ServiceUnit.installed(SERVER_ENROLL);
        Process service = unit.launch(Map.of(), log);
        try {
            String base = awaitListening(log, service);
            HttpClient client = HttpClient.newBuilder().sslContext(trustingOnlyTheServersCertificate())
                    .connectTimeout(Duration.ofSeconds(10)).build();
            for (String path : List.of("/health", "/ready")) {
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, r.statusCode(), path + ": " + r.body());
            }
        } finally {
            service.destroy();
            assertTrue(service.waitFor(30, TimeUnit.SECONDS), "the service stops on SIGTERM");
        }
        int exit = service.exitValue();
        assertTrue(exit == 0 || unit.successExitStatus().contains(exit), "exit " + exit + " is a clean stop:\n" + Files.readString(log));
    }

    private static String awaitListening(Path log, Process process) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (Files.exists(log)) {
                Matcher m = LISTENING.matcher(Files.readString(log));
                if (m.find()) return m.group(1);
            }
            if (!process.isAlive()) throw new AssertionError("the service exited " + process.exitValue() + ":\n" + Files.readString(log));
            Thread.sleep(200);
        }
        throw new AssertionError("not listening within 60 s:\n" + Files.readString(log));
    }

    private static SSLContext trustingOnlyTheServersCertificate() throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(SECRETS.resolve("server.p12"))) {
            store.load(in, STORE_PASSWORD.toCharArray());
        }
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("server", store.getCertificate("server"));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }
}
