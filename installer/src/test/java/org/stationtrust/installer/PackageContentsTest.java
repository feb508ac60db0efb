package org.stationtrust.installer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.stationtrust.installer.Packages.Program.STATION_AGENT;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Builds the agent's package once with the real build script and inspects it as dpkg, lintian and systemd see it. */
class PackageContentsTest {
    @TempDir
    static Path work;
    static Packages.Built built;
    static PackageInspection inspection;
    static Map<String, String> modes;
    static Map<String, String> owners;

    @BeforeAll
    static void buildThePackage() {
        built = Packages.unsigned(STATION_AGENT, Packages.debianVersion());
        inspection = new PackageInspection(built);
        modes = inspection.modes;
        owners = inspection.owners;
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
    void shipsExactlyTheJarsOfTheAgentsSbomAsMavenResolvedThem() throws IOException {
        inspection.assertShipsExactlyTheSbomsJars(work);
        assertTrue(inspection.shippedJars().stream().anyMatch(j -> j.startsWith("sbi-client-")), inspection.shippedJars().toString());
    }

    @Test
    void shipsItsSbomAndTheLicenceOfEveryJar() throws IOException {
        assertEquals("-rw-r--r--", modes.get("/usr/share/doc/station-agent/sbom.cdx.xml"));
        assertEquals("-rw-r--r--", modes.get("/usr/share/doc/station-agent/licences.txt"));
        inspection.assertShipsItsSbomAndALicenceForEveryJar(work);
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
        assertTrue(control.contains("Version: " + Packages.debianVersion() + "\n"), control);
        assertTrue(control.contains("Architecture: amd64\n"), control);
        String depends = control.lines().filter(l -> l.startsWith("Depends: ")).findFirst().orElseThrow();
        assertTrue(depends.contains("openjdk-17-jre-headless"), depends);
        assertTrue(depends.contains("tpm-udev"), "tpm-udev makes the tss group and gives it /dev/tpmrm0: " + depends);
    }

    @Test
    void theMainClassGivenToTheBuildIsTheOneTheAgentJarDeclares() throws IOException {
        Path agentJar;
        try (Stream<Path> jars = Files.list(Packages.jars())) {
            agentJar = jars.filter(p -> p.getFileName().toString().matches("station-agent-.*\\.jar")).findFirst().orElseThrow();
        }
        try (java.util.jar.JarFile jar = new java.util.jar.JarFile(agentJar.toFile())) {
            assertEquals(jar.getManifest().getMainAttributes().getValue("Main-Class"), STATION_AGENT.mainClass());
        }
    }

    @Test
    void wrapperRunsTheAgentsMainClassOnTheJava17RuntimeAndDropsRootToTheServiceUser() {
        Path root = Packages.extract(built, work.resolve("wrapper"));
        String wrapper = Host.read(root.resolve("usr/bin/station-agent"));
        assertTrue(wrapper.contains(" " + STATION_AGENT.mainClass() + " \"$@\""), wrapper);
        assertTrue(wrapper.contains("/usr/lib/jvm/java-17-openjdk-amd64/bin/java"), wrapper);
        assertTrue(wrapper.contains("setpriv --reuid=\"$user\" --regid=\"$user\" --init-groups --no-new-privs"), wrapper);
        Command.of("sh", "-n", root.resolve("usr/bin/station-agent").toString()).run().requireSuccess();
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
    void systemdRatesTheUnitsExposureAtMostTwoOutOfTen() throws IOException {
        PackageInspection.Exposure exposure = inspection.exposure(work.resolve("security"));
        assertTrue(exposure.score() <= 2.0, "exposure " + exposure.score() + " (0 = fully sandboxed, 10 = unprotected):\n" + exposure.output());
        // Each of these is explained in installer/README.md; a new one means the unit lost a protection.
        List<String> explained = List.of("RootDirectory=/RootImage=", "SupplementaryGroups=", "PrivateDevices=",
                "MemoryDenyWriteExecute=", "RestrictAddressFamilies=~AF_UNIX", "RestrictAddressFamilies=~AF_(INET|INET6)",
                "ProcSubset=", "PrivateNetwork=", "PrivateUsers=", "DeviceAllow=", "IPAddressDeny=");
        assertEquals(List.of(), exposure.open().stream().filter(o -> !explained.contains(o)).toList(), exposure.output());
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
        Command.Result r = Packages.buildCommand(STATION_AGENT, work.resolve("out-empty"), "1.0.0", empty).run();
        assertEquals(2, r.exit(), r.describe());
        assertTrue(r.stderr().contains("no jars in '" + empty + "'"), r.describe());
    }

    @Test
    void refusesAVersionDpkgCouldNotOrder() {
        Command.Result r = Packages.buildCommand(STATION_AGENT, work.resolve("out-bad"), "1.0 beta", Packages.jars()).run();
        assertEquals(2, r.exit(), r.describe());
        assertTrue(r.stderr().contains("expected a version such as 1.2.3"), r.describe());
    }

    @Test
    void theBuildFailsOnAJarWhoseOnlyLicenceIsOutsideTheAllowList() throws IOException {
        // The agent's SBOM with slf4j-api's one licence (MIT) changed to a strong copyleft one.
        String sbom = Files.readString(STATION_AGENT.sbom());
        int component = sbom.indexOf("<name>slf4j-api</name>");
        int licence = sbom.indexOf("<id>MIT</id>", component);
        assertTrue(component > 0 && licence > component, "slf4j-api with MIT in the agent's SBOM");
        Path changed = work.resolve("gpl-bom.xml");
        Files.writeString(changed, sbom.substring(0, licence) + "<id>GPL-3.0-only</id>" + sbom.substring(licence + "<id>MIT</id>".length()));
        Command.Result r = Packages.buildCommand(STATION_AGENT, work.resolve("out-gpl"), "1.0.0", Packages.jars(), changed).run();
        assertEquals(1, r.exit(), r.describe());
        assertTrue(r.stderr().contains("slf4j-api-") && r.stderr().contains("[GPL-3.0-only] is not in the allow-list"), r.describe());
        assertFalse(Files.exists(work.resolve("out-gpl").resolve(STATION_AGENT.debFileName("1.0.0"))), "no package was made");
    }

    @Test
    void theBuildFailsWhenAJarOfTheSbomWasNotResolved() throws IOException {
        String sbom = Files.readString(STATION_AGENT.sbom());
        Path changed = work.resolve("unknown-bom.xml");
        Files.writeString(changed, sbom.replaceFirst("<version>2\\.0\\.\\d+</version>", "<version>9.9.9</version>"));
        assertTrue(Files.readString(changed).contains("<version>9.9.9</version>"), "slf4j-api's 2.0.x version replaced");
        Command.Result r = Packages.buildCommand(STATION_AGENT, work.resolve("out-unknown"), "1.0.0", Packages.jars(), changed).run();
        assertEquals(1, r.exit(), r.describe());
        assertTrue(r.stderr().contains("-9.9.9.jar is in the SBOM"), r.describe());
    }
}
