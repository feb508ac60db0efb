package org.stationtrust.installer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * One package's life on this machine, in order: install, run, reinstall, upgrade, remove, purge.
 * Runs as root with dpkg (CI); the machine is purged in {@link #purgeWhateverHappened()} even when a
 * step fails. systemd is not PID 1 here, so the service is started the way its unit would start it
 * ({@link ServiceUnit}).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PackageLifecycleTest {
    private static final Path CONFIG = Path.of("/etc/station-agent/agent.yaml");
    private static final Path STATE = Path.of("/var/lib/station-agent");
    private static final Path LOGS = Path.of("/var/log/station-agent");
    private static final Path UNIT_LINK = Path.of("/etc/systemd/system/multi-user.target.wants/station-agent.service");
    private static final Path UNIT_MASK = Path.of("/etc/systemd/system/station-agent.service");

    @TempDir
    static Path work;
    static AgentPackages.Built first;
    static AgentPackages.Built upgrade;
    static String installOutput;
    static String editedConfig;

    @BeforeAll
    static void buildTwoVersions() {
        Host.assumeCanInstallPackages();
        Host.requireAgentAbsent();
        first = AgentPackages.build(work.resolve("v1"), AgentPackages.debianVersion());
        upgrade = AgentPackages.build(work.resolve("v2"), AgentPackages.debianVersion() + "+upgrade1");
        Command.of("dpkg", "--compare-versions", upgrade.version(), "gt", first.version()).run().requireSuccess();
    }

    @AfterAll
    static void purgeWhateverHappened() {
        if (Host.isRoot() && Host.hasCommand("dpkg")) Host.purgeAgent();
    }

    @Test
    @Order(1)
    void installSucceedsOnAMachineWithoutATpmAndPrintsTheNextStep() {
        Command.Result install = dpkgInstall(first);
        installOutput = install.output();
        assertEquals(first.version(), Host.installedVersion().orElseThrow());
        assertTrue(installOutput.contains("station-agent enroll --server URL --token T"), installOutput);
        if (!Files.exists(Path.of("/dev/tpmrm0"))) {
            assertTrue(installOutput.contains("no /dev/tpmrm0; 'station-agent doctor' explains"), installOutput);
        }
    }

    @Test
    @Order(2)
    void createsTheServiceUserInTheTssGroupAndItsPrivateDirectories() throws IOException {
        List<String> groups = List.of(Command.of("id", "-nG", "station-agent").run().requireSuccess().stdout().trim().split(" "));
        assertTrue(groups.contains("tss"), "groups of station-agent: " + groups);
        assertEquals("/usr/sbin/nologin", passwdField("station-agent", 6), "the service user has no login shell");
        assertOwnerAndMode(STATE, "station-agent", "station-agent", "rwx------");
        assertOwnerAndMode(LOGS, "station-agent", "station-agent", "rwx------");
        assertOwnerAndMode(CONFIG, "root", "station-agent", "rw-r-----");
        assertTrue(Command.of("dpkg-statoverride", "--list", CONFIG.toString()).run().stdout().contains("root station-agent 640"));
        assertTrue(Files.isSymbolicLink(UNIT_LINK), "the unit is enabled to start at boot: " + UNIT_LINK);
    }

    @Test
    @Order(3)
    void systemdAcceptsTheInstalledUnit() {
        Command.Result verify = Command.of("systemd-analyze", "verify", ServiceUnit.INSTALLED.toString()).run();
        assertEquals(0, verify.exit(), verify.describe());
        assertEquals("", verify.output().trim(), verify.describe());
    }

    @Test
    @Order(4)
    void installedCommandAnswersAsRootAndAsTheService() {
        Command.Result asRoot = Command.of("/usr/bin/station-agent", "--help").run();
        assertEquals(0, asRoot.exit(), asRoot.describe());
        assertTrue(asRoot.output().contains("run"), asRoot.describe());
        Command.Result asService = ServiceUnit.installed().command(List.of("/usr/bin/station-agent", "--help")).run();
        assertEquals(0, asService.exit(), asService.describe());
        assertEquals(asRoot.stdout(), asService.stdout());
    }

    @Test
    @Order(6)
    void reinstallingTheSameVersionChangesNothing() throws IOException {
        String uid = passwdField("station-agent", 2);
        String before = Files.readString(CONFIG);
        dpkgInstall(first);
        assertEquals(uid, passwdField("station-agent", 2), "the user is reused, not recreated");
        assertEquals(before, Files.readString(CONFIG));
        assertOwnerAndMode(STATE, "station-agent", "station-agent", "rwx------");
        assertEquals(1, Command.of("dpkg-statoverride", "--list").run().stdout().lines()
                .filter(l -> l.endsWith(" " + CONFIG)).count(), "one statoverride for the config");
    }

    @Test
    @Order(7)
    void upgradeKeepsStateKeysQueueAndTheEditedConfig() throws IOException {
        String uid = passwdField("station-agent", 2);
        editedConfig = Files.readString(CONFIG).replace("port: 4800", "port: 4811") + "# edited by the station admin\n";
        Files.writeString(CONFIG, editedConfig);
        // Files as the agent leaves them: written by the service user, 0600 inside the 0700 directory.
        Map<String, String> state = Map.of("identity.json", "{\"machine\":\"m-1\"}", "keys.json", "{\"ak\":\"0x81010002\"}",
                "queue.db", "queued packet");
        for (Map.Entry<String, String> e : state.entrySet()) {
            ServiceUnit.installed().command(List.of("/bin/sh", "-c", "printf %s \"$1\" > \"$2\"", "sh", e.getValue(),
                    STATE.resolve(e.getKey()).toString())).run().requireSuccess();
        }

        dpkgInstall(upgrade);

        assertEquals(upgrade.version(), Host.installedVersion().orElseThrow());
        assertEquals(editedConfig, Files.readString(CONFIG), "dpkg kept the admin's config");
        assertOwnerAndMode(CONFIG, "root", "station-agent", "rw-r-----");
        for (Map.Entry<String, String> e : state.entrySet()) {
            assertEquals(e.getValue(), Files.readString(STATE.resolve(e.getKey())), e.getKey());
            assertOwnerAndMode(STATE.resolve(e.getKey()), "station-agent", "station-agent", "rw-------");
        }
        assertOwnerAndMode(STATE, "station-agent", "station-agent", "rwx------");
        assertEquals(uid, passwdField("station-agent", 2), "the same uid owns the state after the upgrade");
    }

    @Test
    @Order(8)
    void removeTakesTheProgramAndKeepsStateAndConfig() {
        Command.Result remove = Command.of("dpkg", "--remove", AgentPackages.PACKAGE).run().requireSuccess();
        assertTrue(remove.output().contains("station-agent deprovision"), "says how to evict the TPM keys:\n" + remove.describe());
        assertFalse(Files.exists(Path.of("/usr/bin/station-agent")));
        assertFalse(Files.exists(Path.of("/usr/share/station-agent")));
        assertTrue(Files.isRegularFile(STATE.resolve("identity.json")), "state kept");
        assertTrue(Files.isRegularFile(CONFIG), "config kept until purge");
        assertEquals("deinstall ok config-files", Host.agentStatus().orElseThrow());
        assertTrue(Files.isSymbolicLink(UNIT_MASK), "the unit is masked while only its config remains");
    }

    @Test
    @Order(9)
    void purgeSaysTheTpmKeysRemainThenLeavesTheMachineClean() {
        Command.Result purge = Command.of("dpkg", "--purge", AgentPackages.PACKAGE).run().requireSuccess();
        String said = purge.output();
        int warning = said.indexOf("REMAIN");
        int deleting = said.indexOf("deleting /var/lib/station-agent");
        assertTrue(warning >= 0 && said.contains("station-agent deprovision"), said);
        assertTrue(deleting > warning, "the TPM warning comes before the state is deleted:\n" + said);

        assertTrue(Host.agentStatus().isEmpty(), "dpkg no longer knows station-agent");
        for (String path : List.of("/etc/station-agent", "/var/lib/station-agent", "/var/log/station-agent",
                "/usr/share/station-agent", "/usr/share/doc/station-agent", "/usr/bin/station-agent",
                "/usr/lib/systemd/system/station-agent.service", "/etc/apt/apt.conf.d/20station-agent-verify",
                UNIT_LINK.toString(), UNIT_MASK.toString(),
                "/var/lib/systemd/deb-systemd-helper-enabled/station-agent.service.dsh-also",
                "/var/lib/systemd/deb-systemd-helper-masked/station-agent.service")) {
            assertFalse(Files.exists(Path.of(path), LinkOption.NOFOLLOW_LINKS), path + " is left behind");
        }
        assertFalse(Command.of("dpkg-statoverride", "--list").run().stdout().contains("station-agent"), "statoverride removed");
        // Debian policy: a purge leaves the system user, since files elsewhere may still carry its uid.
        assertTrue(Command.of("getent", "passwd", "station-agent").run().succeeded(), "the system user stays, as policy asks");
    }

    static Command.Result dpkgInstall(AgentPackages.Built built) {
        return Command.of("dpkg", "-i", built.deb().toString()).run().requireSuccess();
    }

    static String passwdField(String user, int field) {
        return Command.of("getent", "passwd", user).run().requireSuccess().stdout().trim().split(":")[field];
    }

    static void assertOwnerAndMode(Path path, String owner, String group, String mode) throws IOException {
        PosixFileAttributes attributes = Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        assertEquals(owner, attributes.owner().getName(), "owner of " + path);
        assertEquals(group, attributes.group().getName(), "group of " + path);
        assertEquals(mode, PosixFilePermissions.toString(attributes.permissions()), "mode of " + path);
    }

    static void writeConfig(String text) throws IOException {
        Files.write(CONFIG, text.getBytes(StandardCharsets.UTF_8));
    }

    static void assertNonZero(Command.Result r) {
        assertNotEquals(0, r.exit(), r.describe());
    }
}
