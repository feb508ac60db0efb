package org.stationtrust.installer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Builds the package once with the real build script and inspects it as dpkg, lintian and systemd see it. */
class PackageContentsTest {
    private static final Pattern CONTENTS_LINE = Pattern.compile("^([-dlrwxs]{10}) (\\S+)/(\\S+)\\s+\\d+ \\S+ \\S+ \\./(.*)$");
    private static final Pattern EXPOSURE = Pattern.compile("Overall exposure level for station-agent\\.service: (\\d+\\.\\d+)");

    @TempDir
    static Path work;
    static AgentPackages.Built built;
    static Map<String, String> modes;
    static Map<String, String> owners;

    @BeforeAll
    static void buildThePackage() {
        built = AgentPackages.unsigned(AgentPackages.debianVersion());
        modes = new LinkedHashMap<>();
        owners = new LinkedHashMap<>();
        String listing = Command.of("dpkg-deb", "--contents", built.deb().toString()).run().requireSuccess().stdout();
        for (String line : listing.split("\n")) {
            Matcher m = CONTENTS_LINE.matcher(line);
            if (!m.matches()) throw new AssertionError("unexpected dpkg-deb --contents line: " + line);
            String path = "/" + m.group(4).replaceAll("/$", "");
            modes.put(path, m.group(1));
            owners.put(path, m.group(2) + ":" + m.group(3));
        }
    }

    @Test
    void holdsTheWrapperTheUnitTheUserAndDirectoryEntriesAndTheConfigWithTheirModes() {
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("/usr/bin/station-agent", "-rwxr-xr-x");
        expected.put("/usr/share/station-agent/lib", "drwxr-xr-x");
        expected.put("/usr/share/station-agent/verify-release", "-rwxr-xr-x");
        expected.put("/usr/share/station-agent/copy-boot-event-log", "-rwxr-xr-x");
        expected.put("/usr/lib/systemd/system/station-agent.service", "-rw-r--r--");
        expected.put("/usr/lib/sysusers.d/station-agent.conf", "-rw-r--r--");
        expected.put("/usr/lib/tmpfiles.d/station-agent.conf", "-rw-r--r--");
        expected.put("/etc/station-agent/agent.yaml", "-rw-r-----");
        expected.put("/etc/station-agent/device-ca", "drwxr-xr-x");
        expected.put("/etc/apt/apt.conf.d/20station-agent-verify", "-rw-r--r--");
        expected.put("/usr/share/doc/station-agent/copyright", "-rw-r--r--");
        expected.put("/usr/share/doc/station-agent/changelog.gz", "-rw-r--r--");
        expected.put("/usr/share/man/man1/station-agent.1.gz", "-rw-r--r--");
        expected.forEach((path, mode) -> assertEquals(mode, modes.get(path), "mode of " + path));
        owners.forEach((path, owner) -> assertEquals("root:root", owner, "owner of " + path
                + " (the service group gets agent.yaml through dpkg-statoverride at install)"));
        assertFalse(modes.keySet().stream().anyMatch(p -> p.startsWith("/var/")),
                "state and log directories are made at install by systemd-tmpfiles, not shipped");
    }

    @Test
    void shipsExactlyTheJarsMavenResolvedForTheAgent() throws IOException {
        List<String> resolved;
        try (Stream<Path> jars = Files.list(AgentPackages.agentLib())) {
            resolved = jars.map(p -> "/usr/share/station-agent/lib/" + p.getFileName()).sorted().toList();
        }
        List<String> shipped = modes.keySet().stream()
                .filter(p -> p.startsWith("/usr/share/station-agent/lib/")).sorted().toList();
        assertEquals(resolved, shipped);
        assertTrue(shipped.stream().anyMatch(p -> p.matches(".*/station-agent-[^/]+\\.jar")), "the agent's own jar: " + shipped);
        // One version per library: two would mean a stale jar from an earlier build, and the JVM would load either.
        Map<String, List<String>> byArtifact = new java.util.TreeMap<>();
        for (String jar : shipped) {
            String name = jar.substring(jar.lastIndexOf('/') + 1);
            byArtifact.computeIfAbsent(name.replaceFirst("-\\d[^-]*(-SNAPSHOT)?\\.jar$", ""), k -> new ArrayList<>()).add(name);
        }
        byArtifact.forEach((artifact, versions) -> assertEquals(1, versions.size(), "versions of " + artifact + ": " + versions));
        shipped.forEach(p -> assertEquals("-rw-r--r--", modes.get(p), "mode of " + p));
    }

    @Test
    void marksTheConfigAndTheAptHookAsConffilesSoAnEditSurvivesUpgrades() {
        String conffiles = Command.of("dpkg-deb", "--info", built.deb().toString(), "conffiles").run().requireSuccess().stdout();
        assertEquals(List.of("/etc/station-agent/agent.yaml", "/etc/apt/apt.conf.d/20station-agent-verify"),
                conffiles.lines().toList());
    }

    @Test
    void dependsOnDebiansJava17RuntimeAndTheTssGroupsPackage() {
        String control = Command.of("dpkg-deb", "--field", built.deb().toString()).run().requireSuccess().stdout();
        assertTrue(control.contains("Package: station-agent\n"), control);
        assertTrue(control.contains("Version: " + AgentPackages.debianVersion() + "\n"), control);
        assertTrue(control.contains("Architecture: amd64\n"), control);
        String depends = control.lines().filter(l -> l.startsWith("Depends: ")).findFirst().orElseThrow();
        assertTrue(depends.contains("openjdk-17-jre-headless"), depends);
        assertTrue(depends.contains("tpm-udev"), "tpm-udev makes the tss group and gives it /dev/tpmrm0: " + depends);
    }

    @Test
    void theMainClassGivenToTheBuildIsTheOneTheAgentJarDeclares() throws IOException {
        Path agentJar;
        try (Stream<Path> jars = Files.list(AgentPackages.agentLib())) {
            agentJar = jars.filter(p -> p.getFileName().toString().matches("station-agent-.*\\.jar")).findFirst().orElseThrow();
        }
        try (java.util.jar.JarFile jar = new java.util.jar.JarFile(agentJar.toFile())) {
            assertEquals(jar.getManifest().getMainAttributes().getValue("Main-Class"), System.getProperty("installer.mainClass"));
        }
    }

    @Test
    void wrapperRunsTheAgentsMainClassOnTheJava17RuntimeAndDropsRootToTheServiceUser() {
        Path root = AgentPackages.extract(built, work.resolve("wrapper"));
        String wrapper = Host.read(root.resolve("usr/bin/station-agent"));
        assertTrue(wrapper.contains(" " + System.getProperty("installer.mainClass") + " \"$@\""), wrapper);
        assertTrue(wrapper.contains("/usr/lib/jvm/java-17-openjdk-amd64/bin/java"), wrapper);
        assertTrue(wrapper.contains("setpriv --reuid=\"$user\" --regid=\"$user\" --init-groups --no-new-privs"), wrapper);
        Command.of("sh", "-n", root.resolve("usr/bin/station-agent").toString()).run().requireSuccess();
    }

    @Test
    void maintainerScriptsAreValidShellThatStopsAtTheFirstError() {
        Path control = work.resolve("control");
        Command.of("dpkg-deb", "--control", built.deb().toString(), control.toString()).run().requireSuccess();
        for (String script : List.of("postinst", "prerm", "postrm")) {
            Path file = control.resolve(script);
            assertTrue(Files.isExecutable(file), script + " is executable");
            assertTrue(Host.read(file).startsWith("#!/bin/sh\n"), script + " starts with #!/bin/sh");
            assertTrue(Host.read(file).contains("\nset -e\n"), script + " runs with set -e");
            Command.of("sh", "-n", file.toString()).run().requireSuccess();
        }
    }

    @Test
    void lintianFindsNoErrorsAndNoUnexplainedWarnings() {
        LintianRun lintian = LintianRun.of(built.deb());
        assertEquals(List.of(), lintian.tagsOfSeverity("E"), "lintian errors:\n" + lintian.output());
        assertEquals(List.of(), lintian.tagsOfSeverity("W"),
                "lintian warnings (explain each in src/deb/lintian-overrides or fix it):\n" + lintian.output());
    }

    @Test
    void systemdAcceptsTheUnitWithTheInstalledPathsInPlace() throws IOException {
        Path root = unitRoot("verify");
        Command.Result verify = Command.of("systemd-analyze", "verify", "--man=no", "--root=" + root,
                "station-agent.service").run();
        assertEquals(0, verify.exit(), verify.describe());
        assertEquals("", verify.output().trim(), "systemd-analyze verify printed warnings:\n" + verify.describe());

        // The same check fails when the command the unit starts is not there: it is not a rubber stamp.
        Files.delete(root.resolve("usr/bin/station-agent"));
        Command.Result broken = Command.of("systemd-analyze", "verify", "--man=no", "--root=" + root,
                "station-agent.service").run();
        assertNotEquals(0, broken.exit(), broken.describe());
        assertTrue(broken.output().contains("/usr/bin/station-agent"), broken.describe());
    }

    @Test
    void systemdRatesTheUnitsExposureAtMostTwoOutOfTen() throws IOException {
        Path root = unitRoot("security");
        Command.Result security = Command.of("systemd-analyze", "security", "--offline=yes", "--no-pager",
                "--root=" + root, "station-agent.service").run();
        Matcher m = EXPOSURE.matcher(security.output());
        assertTrue(m.find(), security.describe());
        double exposure = Double.parseDouble(m.group(1));
        assertTrue(exposure <= 2.0, "exposure " + exposure + " (0 = fully sandboxed, 10 = unprotected):\n" + security.output());
        List<String> open = new ArrayList<>();
        security.output().lines().filter(l -> l.startsWith("✗")).forEach(l -> open.add(l.split("\\s+")[1]));
        // Each of these is explained in installer/README.md; a new one means the unit lost a protection.
        List<String> explained = List.of("RootDirectory=/RootImage=", "SupplementaryGroups=", "PrivateDevices=",
                "MemoryDenyWriteExecute=", "RestrictAddressFamilies=~AF_UNIX", "RestrictAddressFamilies=~AF_(INET|INET6)",
                "ProcSubset=", "PrivateNetwork=", "PrivateUsers=", "DeviceAllow=", "IPAddressDeny=");
        assertEquals(List.of(), open.stream().filter(o -> !explained.contains(o)).toList(), security.output());
    }

    @Test
    void anUnsignedBuildSaysSoAndLeavesNoSignature() {
        assertTrue(built.log().stdout().contains("the package is UNSIGNED"), built.log().describe());
        assertTrue(built.log().stdout().contains("jars: unsigned"), built.log().describe());
        assertFalse(Files.exists(built.signature()));
    }

    @Test
    void refusesToBuildWithoutTheAgentsJars() throws IOException {
        Path empty = Files.createDirectories(work.resolve("no-jars"));
        Command.Result r = AgentPackages.buildCommand(work.resolve("out-empty"), "1.0.0", empty).run();
        assertEquals(2, r.exit(), r.describe());
        assertTrue(r.stderr().contains("no jars in '" + empty + "'"), r.describe());
    }

    @Test
    void refusesAVersionDpkgCouldNotOrder() {
        Command.Result r = AgentPackages.buildCommand(work.resolve("out-bad"), "1.0 beta", AgentPackages.agentLib()).run();
        assertEquals(2, r.exit(), r.describe());
        assertTrue(r.stderr().contains("expected a version such as 1.2.3"), r.describe());
    }

    /** The package's files plus the host's own units, so systemd-analyze resolves the unit as it would once installed. */
    private static Path unitRoot(String name) throws IOException {
        Path root = AgentPackages.extract(built, work.resolve(name));
        Path units = root.resolve("usr/lib/systemd/system");
        // Regular files only (the host's masked units are symlinks to /dev/null), never a station-agent
        // file (ours is the package's), and a file dpkg renames away meanwhile is simply skipped.
        try (Stream<Path> host = Files.list(Path.of("/usr/lib/systemd/system"))) {
            for (Path unit : host.filter(p -> Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)).toList()) {
                String unitName = unit.getFileName().toString();
                Path target = units.resolve(unitName);
                if (unitName.startsWith("station-agent") || Files.exists(target)) continue;
                try {
                    Files.copy(unit, target);
                } catch (java.nio.file.NoSuchFileException vanished) {
                    // renamed by a package operation running at the same time
                }
            }
        }
        Files.createDirectories(root.resolve("etc/systemd/system"));
        return root;
    }
}
