package org.stationtrust.installer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.stationtrust.installer.Packages.Program.SERVER_ENROLL;
import static org.stationtrust.installer.Packages.Program.STATION_AGENT;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Builds the server's package once with the real build script and inspects it as dpkg, lintian and systemd see it. */
class ServerPackageContentsTest {
    @TempDir
    static Path work;
    static PackageInspection inspection;

    @BeforeAll
    static void buildThePackage() {
        inspection = new PackageInspection(Packages.unsigned(SERVER_ENROLL, Packages.debianVersion()));
    }

    @Test
    void holdsTheLauncherTheUnitTheUserTheConfigAndTheDocsWithTheirModes() {
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("/usr/bin/server-enroll", "-rwxr-xr-x");
        expected.put("/usr/share/server-enroll/lib", "drwxr-xr-x");
        expected.put("/usr/lib/systemd/system/server-enroll.service", "-rw-r--r--");
        expected.put("/usr/lib/sysusers.d/server-enroll.conf", "-rw-r--r--");
        expected.put("/usr/lib/tmpfiles.d/server-enroll.conf", "-rw-r--r--");
        expected.put("/etc/server-enroll/server-enroll.conf", "-rw-r-----");
        expected.put("/etc/server-enroll/tpm-ca", "drwxr-xr-x");
        expected.put("/usr/share/doc/server-enroll/copyright", "-rw-r--r--");
        expected.put("/usr/share/doc/server-enroll/changelog.gz", "-rw-r--r--");
        expected.put("/usr/share/doc/server-enroll/sbom.cdx.xml", "-rw-r--r--");
        expected.put("/usr/share/doc/server-enroll/licences.txt", "-rw-r--r--");
        expected.put("/usr/share/man/man1/server-enroll.1.gz", "-rw-r--r--");
        expected.forEach((path, mode) -> assertEquals(mode, inspection.modes.get(path), "mode of " + path));
        inspection.owners.forEach((path, owner) -> assertEquals("root:root", owner, "owner of " + path));
        assertFalse(inspection.modes.keySet().stream().anyMatch(p -> p.startsWith("/var/") || p.startsWith("/etc/server-enroll/secrets")),
                "the state directory and the secrets directory are made at install, never shipped");
    }

    @Test
    void isArchitectureIndependentAndDependsOnDebiansJava17Runtime() {
        String control = Command.of("dpkg-deb", "--field", inspection.built.deb().toString()).run().requireSuccess().stdout();
        assertTrue(control.contains("Package: server-enroll\n"), control);
        assertTrue(control.contains("Version: " + Packages.debianVersion() + "\n"), control);
        assertTrue(control.contains("Architecture: all\n"), control);
        assertTrue(inspection.built.deb().getFileName().toString().endsWith("_all.deb"), inspection.built.deb().toString());
        String depends = control.lines().filter(l -> l.startsWith("Depends: ")).findFirst().orElseThrow();
        assertTrue(depends.contains("openjdk-17-jre-headless"), depends);
        assertFalse(depends.contains("tpm-udev"), "the server touches no TPM: " + depends);
    }

    @Test
    void marksOnlyTheConfigAsAConffile() {
        String conffiles = Command.of("dpkg-deb", "--info", inspection.built.deb().toString(), "conffiles").run().requireSuccess().stdout();
        assertEquals(List.of("/etc/server-enroll/server-enroll.conf"), conffiles.lines().toList());
    }

    @Test
    void shipsExactlyTheJarsOfTheServersSbomAndNoneOfTheAgentsOwn() throws IOException {
        inspection.assertShipsExactlyTheSbomsJars(work);
        List<String> jars = inspection.shippedJars();
        assertTrue(jars.stream().anyMatch(j -> j.startsWith("postgresql-")), jars.toString());
        assertTrue(jars.stream().noneMatch(j -> j.startsWith("station-agent-") || j.startsWith("sbi-client-") || j.startsWith("okhttp")),
                "the agent's jars stay in the agent's package: " + jars);
    }

    @Test
    void shipsItsSbomAndTheLicenceOfEveryJar() throws IOException {
        inspection.assertShipsItsSbomAndALicenceForEveryJar(work);
    }

    @Test
    void launcherRunsTheServersMainClassDropsRootAndReadsTheConfigAndSecretFiles() throws IOException {
        Path root = Packages.extract(inspection.built, work.resolve("launcher"));
        String launcher = Host.read(root.resolve("usr/bin/server-enroll"));
        assertTrue(launcher.contains(" " + SERVER_ENROLL.mainClass() + " \"$@\""), launcher);
        assertTrue(launcher.contains("setpriv --reuid=\"$user\" --regid=\"$user\" --init-groups --no-new-privs"), launcher);
        assertTrue(launcher.contains("SERVER_ENROLL_CONFIG=\"${SERVER_ENROLL_CONFIG:-/etc/server-enroll/server-enroll.conf}\""), launcher);
        assertTrue(launcher.contains("MALLOC_ARENA_MAX"), launcher);
        Command.of("sh", "-n", root.resolve("usr/bin/server-enroll").toString()).run().requireSuccess();
        // The main class the build was given is the one the server's jar declares.
        Path jar = Packages.jars().resolve(inspection.shippedJars().stream().filter(j -> j.startsWith("server-enroll-")).findFirst().orElseThrow());
        try (java.util.jar.JarFile file = new java.util.jar.JarFile(jar.toFile())) {
            String declared = file.getManifest().getMainAttributes().getValue("Main-Class");
            assertTrue(declared == null || declared.equals(SERVER_ENROLL.mainClass()), "Main-Class " + declared);
        }
    }

    @Test
    void maintainerScriptsAreValidShellThatStopsAtTheFirstError() {
        inspection.assertMaintainerScriptsAreValidShellThatStopsAtTheFirstError(work.resolve("control"));
    }

    @Test
    void lintianFindsNoErrorsAndNoUnexplainedWarnings() {
        inspection.assertLintianFindsNoErrorsAndNoWarnings();
    }

    @Test
    void systemdAcceptsTheUnitWithTheInstalledPathsInPlace() throws IOException {
        inspection.assertSystemdAcceptsTheUnitAndNoticesAMissingCommand(work.resolve("verify"));
    }

    @Test
    void systemdRatesTheServersExposureNoWorseThanTheAgents() throws IOException {
        PackageInspection.Exposure server = inspection.exposure(work.resolve("security"));
        PackageInspection.Exposure agent = new PackageInspection(Packages.unsigned(STATION_AGENT, Packages.debianVersion()))
                .exposure(work.resolve("agent-security"));
        assertTrue(server.score() <= agent.score() && server.score() <= 1.5,
                "server " + server.score() + ", agent " + agent.score() + " (0 = fully sandboxed, 10 = unprotected):\n" + server.output());
        // Each is explained in installer/README.md; a new one means the unit lost a protection.
        List<String> explained = List.of("RootDirectory=/RootImage=", "MemoryDenyWriteExecute=", "RestrictAddressFamilies=~AF_UNIX",
                "RestrictAddressFamilies=~AF_(INET|INET6)", "ProcSubset=", "PrivateNetwork=", "PrivateUsers=", "DeviceAllow=",
                "IPAddressDeny=");
        assertEquals(List.of(), server.open().stream().filter(o -> !explained.contains(o)).toList(), server.output());
        assertFalse(server.open().contains("PrivateDevices="), "the server needs no device");
    }
}
