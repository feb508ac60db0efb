package org.stationtrust.installer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.stationtrust.installer.Host.assertOwnerAndMode;
import static org.stationtrust.installer.Host.awaitLine;
import static org.stationtrust.installer.Host.digests;
import static org.stationtrust.installer.Host.dpkgInstall;
import static org.stationtrust.installer.Host.passwdField;
import static org.stationtrust.installer.Packages.Program.STATION_AGENT;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.stationtrust.tpm.IdentityConfig;
import org.stationtrust.tpm.simulator.SoftwareTpm;

/**
 * One package's life on this machine, in order: install, run, reinstall, upgrade, remove, purge.
 * Runs as root with dpkg (CI); the machine is purged in {@link #purgeWhateverHappened()} even when a
 * step fails. systemd is not PID 1 here, so the service is started the way its unit would start it
 * ({@link ServiceUnit}: identity, environment and, where unshare -m works, the file-system sandbox).
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
    static Packages.Built first;
    static Packages.Built upgrade;
    static SoftwareTpm tpm;
    static Map<String, String> keysAfterFirstRun;
    /** The admin's first edit (step 1 of the printed next steps): the server and its pin, as STATION_AGENT_* would also allow. */
    static final String SERVER = "https://127.0.0.1:9";
    static final String PIN = "sha256/" + java.util.Base64.getEncoder().encodeToString(new byte[32]);

    @BeforeAll
    static void buildTwoVersions() {
        Host.assumeCanInstallPackages();
        Host.takeMachine();
        Host.requireAbsent(STATION_AGENT);
        first = Packages.unsigned(STATION_AGENT, Packages.debianVersion());
        upgrade = Packages.unsigned(STATION_AGENT, Packages.debianVersion() + "+upgrade1");
        Command.of("dpkg", "--compare-versions", upgrade.version(), "gt", first.version()).run().requireSuccess();
    }

    @AfterAll
    static void purgeWhateverHappened() {
        try {
            if (tpm != null) tpm.close();
        } finally {
            try {
                if (Host.isRoot() && Host.hasCommand("dpkg")) Host.purge(STATION_AGENT);
            } finally {
                Host.releaseMachine();
            }
        }
    }

    @Test
    @Order(1)
    void installSucceedsOnAMachineWithoutATpmAndPrintsTheNextStep() {
        Command.Result install = dpkgInstall(first);
        String installOutput = install.output();
        assertEquals(first.version(), Host.installedVersion(STATION_AGENT).orElseThrow());
        assertTrue(installOutput.contains("station-agent enroll --server URL --token-file FILE"), installOutput);
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
        Command.Result verify = Command.of("systemd-analyze", "verify", STATION_AGENT.unitFile().toString()).run();
        assertEquals(0, verify.exit(), verify.describe());
        assertEquals("", verify.output().trim(), verify.describe());
    }

    @Test
    @Order(4)
    void installedCommandAnswersTheSameAsRootAndAsTheService() {
        Command.Result asRoot = Command.of("/usr/bin/station-agent", "--help").run();
        assertEquals(0, asRoot.exit(), asRoot.describe());
        for (String command : List.of("run", "status", "enroll", "doctor", "deprovision", "audit", "config")) {
            assertTrue(asRoot.stdout().contains("\n  " + command + " "), "the installed CLI offers " + command + ":\n" + asRoot.stdout());
        }
        Command.Result asService = ServiceUnit.installed(STATION_AGENT).command(List.of("/usr/bin/station-agent", "--help")).run();
        assertEquals(0, asService.exit(), asService.describe());
        assertEquals(asRoot.stdout(), asService.stdout());
    }

    @Test
    @Order(5)
    void theShippedConfigFailsClosedUntilTheAdminNamesTheServer() throws IOException {
        Command.Result check = ServiceUnit.installed(STATION_AGENT).command(List.of("/usr/bin/station-agent", "config", "check")).run();
        assertEquals(78, check.exit(), check.describe());
        assertTrue(check.stderr().contains("server.url") && check.stderr().contains("server.public_key_pins"), check.describe());

        writeConfig(Files.readString(CONFIG).replace("  # url:", "  url: " + SERVER)
                .replace("  # public_key_pins:", "  public_key_pins: [\"" + PIN + "\"]"));
        Command.Result fixed = ServiceUnit.installed(STATION_AGENT).command(List.of("/usr/bin/station-agent", "config", "check")).run();
        assertEquals(0, fixed.exit(), fixed.describe());
        assertTrue(fixed.stdout().contains("configuration OK"), fixed.describe());
    }

    @Test
    @Order(6)
    void doctorExplainsThatTheTpmDeviceIsMissing() {
        // This machine has no TPM; on one that has, point the agent at a device that is certainly absent.
        String device = Files.exists(Path.of("/dev/tpmrm0")) ? "/dev/absent-tpmrm0" : "/dev/tpmrm0";
        Command.Result doctor = ServiceUnit.installed(STATION_AGENT).command(List.of("/usr/bin/station-agent", "doctor"),
                Map.of("STATION_AGENT_TPM_URI", "device:" + device)).run();
        assertEquals(1, doctor.exit(), doctor.describe());
        String tpmLine = doctor.stdout().lines().filter(l -> l.startsWith("[FAIL] tpm:")).findFirst()
                .orElseThrow(() -> new AssertionError("no failed tpm check:\n" + doctor.describe()));
        assertTrue(tpmLine.contains(device), tpmLine);
        assertTrue(doctor.stdout().contains("group tss"), "the fix names the tss group:\n" + doctor.stdout());
        assertTrue(doctor.stdout().contains("[ ok ] state directory: /var/lib/station-agent (0700)"), doctor.stdout());
    }

    @Test
    @Order(7)
    void anInvalidConfigMakesTheServiceFailAtStartNamingTheKeyAndSystemdDoesNotRestartIt() throws IOException {
        String good = Files.readString(CONFIG);
        try {
            writeConfig(good.replace("port: 4800", "port: 99999"));
            ServiceUnit unit = ServiceUnit.installed(STATION_AGENT);
            Command.Result start = unit.start(Map.of()).run();
            assertEquals(78, start.exit(), start.describe());
            assertTrue(start.stderr().contains("api.port"), "the bad key is named:\n" + start.describe());
            assertTrue(unit.restartPreventExitStatus().contains(start.exit()),
                    "RestartPreventExitStatus= stops the restart loop for exit " + start.exit() + ": " + unit.restartPreventExitStatus());
        } finally {
            writeConfig(good);
        }
    }

    @Test
    @Order(8)
    void doctorAndTheServiceWorkAgainstASoftwareTpm() throws Exception {
        tpm = SoftwareTpm.start(work.resolve("swtpm"));
        // The admin adds the device providers' CAs; with no device attached, any CA certificate lets the
        // agent start, so the software TPM's own root stands in for one.
        try (Stream<Path> pems = Files.list(tpm.caDirectory())) {
            Path ca = pems.filter(p -> p.toString().endsWith(".pem")).findFirst().orElseThrow();
            Files.copy(ca, Path.of("/etc/station-agent/device-ca/provider-ca.pem"));
        }
        ServiceUnit unit = ServiceUnit.installed(STATION_AGENT);
        Map<String, String> env = Map.of("STATION_AGENT_TPM_URI", tpm.uri(), "STATION_AGENT_API_PORT", "0");
        Command.Result doctor = unit.command(List.of("/usr/bin/station-agent", "doctor"), env).run();
        assertTrue(doctor.stdout().contains("[ ok ] tpm: " + tpm.uri() + " reachable, EK"), doctor.describe());

        runServiceUntilReadyThenStop(unit, env, work.resolve("service.log"));
        keysAfterFirstRun = persistentKeyNames();
        for (int handle : List.of(IdentityConfig.DEFAULT_ATTESTATION_KEY, IdentityConfig.DEFAULT_MACHINE_KEY)) {
            assertTrue(keysAfterFirstRun.containsKey(handleText(handle)), "the service provisioned " + handleText(handle)
                    + " in the TPM: " + keysAfterFirstRun);
        }
        try (Stream<Path> files = Files.list(STATE)) {
            List<Path> state = files.toList();
            assertFalse(state.isEmpty(), "the service wrote its state");
            for (Path file : state) {
                assertEquals("station-agent", Files.getOwner(file, LinkOption.NOFOLLOW_LINKS).getName(), "owner of " + file);
            }
        }
    }
    @Test
    @Order(9)
    void runAsRootTheCommandDropsToTheServiceUserAndItsTssGroup() throws Exception {
        Path log = work.resolve("as-root.log");
        ProcessBuilder builder = new ProcessBuilder("/usr/bin/station-agent", "run").redirectErrorStream(true)
                .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().putAll(Map.of("STATION_AGENT_TPM_URI", tpm.uri(), "STATION_AGENT_API_PORT", "0"));
        Process agent = builder.start();
        String status;
        try {
            awaitLine(log, "station-agent running", agent);
            status = Files.readString(Path.of("/proc", Long.toString(agent.pid()), "status"));
        } finally {
            agent.destroy();
            assertTrue(agent.waitFor(30, TimeUnit.SECONDS), "the agent stops on SIGTERM");
        }
        String uid = passwdField("station-agent", 2);
        String tssGid = Command.of("getent", "group", "tss").run().requireSuccess().stdout().split(":")[2];
        String uids = status.lines().filter(l -> l.startsWith("Uid:")).findFirst().orElseThrow();
        assertEquals(List.of(uid, uid, uid, uid), List.of(uids.substring(4).trim().split("\\s+")), "real, effective, saved, fs uid");
        String groups = status.lines().filter(l -> l.startsWith("Groups:")).findFirst().orElseThrow();
        assertTrue(List.of(groups.substring(7).trim().split("\\s+")).contains(tssGid), groups);
        assertTrue(status.contains("\nNoNewPrivs:\t1\n"), "no new privileges");
        assertTrue(status.contains("\nCapEff:\t0000000000000000\n"), "no capabilities");
    }

    @Test
    @Order(10)
    void theServiceCanWriteOnlyItsStateLogsAndPrivateTmpUnderTheEmulatedSandbox() throws IOException {
        assumeTrue(ServiceUnit.FILE_SYSTEM_SANDBOX, "this machine does not allow a private mount namespace (unshare -m);"
                + " the other steps ran without the file-system sandbox");
        // A directory the service user owns outside ReadWritePaths=: only ProtectSystem=strict stops the write.
        Path owned = Files.createDirectories(Path.of("/var/cache/station-agent-sandbox-probe"));
        try {
            Command.of("chown", "station-agent:station-agent", owned.toString()).run().requireSuccess();
            String probe = "for d in \"$@\"; do if touch \"$d/probe\" 2>/dev/null; then echo \"$d rw\"; rm \"$d/probe\";"
                    + " else echo \"$d ro\"; fi; done";
            Command.Result r = ServiceUnit.installed(STATION_AGENT).command(List.of("/bin/sh", "-c", probe, "probe",
                    "/var/lib/station-agent", "/var/log/station-agent", "/tmp", owned.toString())).run().requireSuccess();
            assertEquals(List.of("/var/lib/station-agent rw", "/var/log/station-agent rw", "/tmp rw", owned + " ro"),
                    r.stdout().lines().toList());
        } finally {
            Command.of("rm", "-rf", owned.toString()).run();
        }
    }

    @Test
    @Order(11)
    void reinstallingTheSameVersionChangesNothing() throws IOException {
        String uid = passwdField("station-agent", 2);
        String before = Files.readString(CONFIG);
        Command.Result reinstall = dpkgInstall(first);
        assertTrue(reinstall.stdout().contains("reinstalled " + first.version() + "; the machine identity"), reinstall.describe());
        assertEquals(uid, passwdField("station-agent", 2), "the user is reused, not recreated");
        assertEquals(before, Files.readString(CONFIG));
        assertOwnerAndMode(STATE, "station-agent", "station-agent", "rwx------");
        assertEquals(1, Command.of("dpkg-statoverride", "--list").run().stdout().lines()
                .filter(l -> l.endsWith(" " + CONFIG)).count(), "one statoverride for the config");
    }

    @Test
    @Order(12)
    void upgradeKeepsStateKeysQueueAndTheEditedConfig() throws Exception {
        String uid = passwdField("station-agent", 2);
        String editedConfig = Files.readString(CONFIG).replace("port: 4800", "port: 4811") + "# edited by the station admin\n";
        writeConfig(editedConfig);
        // Besides what the service wrote, a file written as the service writes them (0600 in the 0700 directory).
        ServiceUnit.installed(STATION_AGENT).command(List.of("/bin/sh", "-c", "printf %s queued > " + STATE.resolve("marker"))).run().requireSuccess();
        Map<String, String> before = digests(STATE);
        // What the agent wrote there (station-agent/README.md, "State directory"): the sealed data key, the
        // queue, the audit log (station.json appears only once the machine is enrolled).
        assertTrue(before.keySet().containsAll(List.of("data-key.sealed", "queue.db", "audit.jsonl", "api-token", "marker")),
                "state written by the service: " + before.keySet());

        Command.Result upgraded = dpkgInstall(upgrade);
        assertTrue(upgraded.stdout().contains("upgraded from " + first.version()), upgraded.describe());

        assertEquals(upgrade.version(), Host.installedVersion(STATION_AGENT).orElseThrow());
        assertEquals(editedConfig, Files.readString(CONFIG), "dpkg kept the admin's config");
        assertOwnerAndMode(CONFIG, "root", "station-agent", "rw-r-----");
        assertEquals(before, digests(STATE), "every state file is unchanged");
        assertOwnerAndMode(STATE.resolve("marker"), "station-agent", "station-agent", "rw-------");
        assertOwnerAndMode(STATE, "station-agent", "station-agent", "rwx------");
        assertEquals(uid, passwdField("station-agent", 2), "the same uid owns the state after the upgrade");

        // The upgraded agent starts with the kept state and uses the same TPM keys: no second identity.
        runServiceUntilReadyThenStop(ServiceUnit.installed(STATION_AGENT), Map.of("STATION_AGENT_TPM_URI", tpm.uri(),
                "STATION_AGENT_API_PORT", "0"), work.resolve("service-after-upgrade.log"));
        assertEquals(keysAfterFirstRun, persistentKeyNames(), "persistent TPM keys (handle -> name) after the upgraded agent ran");
    }

    @Test
    @Order(13)
    void theUpgradedAgentEvictsItsTpmKeysWithDeprovisionAsThePurgeMessageSays() {
        Command.Result deprovision = ServiceUnit.installed(STATION_AGENT).command(List.of("/usr/bin/station-agent", "deprovision", "--yes"),
                Map.of("STATION_AGENT_TPM_URI", tpm.uri())).run();
        assertEquals(0, deprovision.exit(), deprovision.describe());
        assertTrue(deprovision.stdout().contains("evicted the attestation key"), deprovision.describe());
    }

    @Test
    @Order(14)
    void removeTakesTheProgramAndKeepsStateAndConfig() {
        Command.Result remove = Command.of("dpkg", "--remove", STATION_AGENT.name).run().requireSuccess();
        assertTrue(remove.output().contains("station-agent deprovision"), "says how to evict the TPM keys:\n" + remove.describe());
        assertFalse(Files.exists(Path.of("/usr/bin/station-agent")));
        assertFalse(Files.exists(Path.of("/usr/share/station-agent")));
        assertTrue(Files.isRegularFile(STATE.resolve("marker")), "state kept");
        assertTrue(Files.isRegularFile(CONFIG), "config kept until purge");
        assertEquals("deinstall ok config-files", Host.status(STATION_AGENT).orElseThrow());
        assertTrue(Files.isSymbolicLink(UNIT_MASK), "the unit is masked while only its config remains");
    }

    @Test
    @Order(15)
    void purgeSaysTheTpmKeysRemainThenLeavesTheMachineClean() {
        Command.Result purge = Command.of("dpkg", "--purge", STATION_AGENT.name).run().requireSuccess();
        String said = purge.output();
        int warning = said.indexOf("REMAIN");
        int deleting = said.indexOf("deleting /var/lib/station-agent");
        assertTrue(warning >= 0 && said.contains("station-agent deprovision"), said);
        for (int handle : List.of(IdentityConfig.DEFAULT_STORAGE_ROOT, IdentityConfig.DEFAULT_ATTESTATION_KEY,
                IdentityConfig.DEFAULT_MACHINE_KEY)) {
            assertTrue(said.toLowerCase(java.util.Locale.ROOT).contains(handleText(handle)), "the warning names " + handleText(handle) + ":\n" + said);
        }
        assertTrue(deleting > warning, "the TPM warning comes before the state is deleted:\n" + said);

        assertTrue(Host.status(STATION_AGENT).isEmpty(), "dpkg no longer knows station-agent");
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

    static void writeConfig(String text) throws IOException {
        Files.write(CONFIG, text.getBytes(StandardCharsets.UTF_8));
    }

    static void runServiceUntilReadyThenStop(ServiceUnit unit, Map<String, String> env, Path log) throws Exception {
        Process service = unit.launch(env, log);
        try {
            awaitLine(log, "station-agent running", service);
        } finally {
            service.destroy();
            assertTrue(service.waitFor(30, TimeUnit.SECONDS), "the service stops on SIGTERM");
        }
        int exit = service.exitValue();
        assertTrue(exit == 0 || unit.successExitStatus().contains(exit),
                "exit " + exit + " after SIGTERM counts as a clean stop for systemd (SuccessExitStatus=):\n" + Files.readString(log));
    }

    /** Persistent objects in the software TPM, read with tpm2-tools: handle (0x81...) to TPM name. */
    static Map<String, String> persistentKeyNames() {
        Map<String, String> names = new TreeMap<>();
        String handles = Command.of("tpm2_getcap", "-T", tpm.tcti(), "handles-persistent").run().requireSuccess().stdout();
        for (String line : handles.lines().toList()) {
            String handle = line.replaceFirst("^- ", "").trim().toLowerCase(java.util.Locale.ROOT);
            if (!handle.startsWith("0x81")) continue;
            String pub = Command.of("tpm2_readpublic", "-T", tpm.tcti(), "-c", handle).run().requireSuccess().stdout();
            names.put(handle, pub.lines().filter(l -> l.startsWith("name:")).findFirst().orElseThrow());
        }
        return names;
    }

    static String handleText(int handle) {
        return String.format("0x%08x", handle);
    }
}
