package org.stationtrust.installer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.stationtrust.installer.Packages.Program.STATION_AGENT;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * A release built with throwaway keys: the detached package signature and the jar signatures verify,
 * and every way of breaking them is refused, both by the documented command and at install time
 * (verify-release --install, and APT's pre-install hook once a release keyring is configured).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReleaseSigningTest {
    private static final Path CONFIGURED_KEYRING = Path.of("/etc/station-agent/release-keyring.gpg");

    @TempDir
    static Path work;
    static ReleaseKeys release;
    static ReleaseKeys attacker;
    static Packages.Built signed;
    static Packages.Built signedUpgrade;
    static Path verifyRelease;

    @BeforeAll
    static void buildSignedReleases() {
        if (Host.isRoot() && Host.hasCommand("dpkg")) Host.takeMachine();
        release = ReleaseKeys.generate(work.resolve("release-keys"), "station-trust test release");
        attacker = ReleaseKeys.generate(work.resolve("attacker-keys"), "someone else");
        signed = Packages.build(STATION_AGENT, work.resolve("v1"), Packages.debianVersion(), release.buildEnvironment());
        signedUpgrade = Packages.build(STATION_AGENT, work.resolve("v2"), Packages.debianVersion() + "+upgrade1", release.buildEnvironment());
        verifyRelease = Path.of(System.getProperty("installer.buildScript")).resolveSibling("station-agent").resolve("verify-release");
    }

    @AfterAll
    static void purgeWhateverHappened() {
        try {
            if (Host.isRoot() && Host.hasCommand("dpkg")) Host.purge(STATION_AGENT);
        } finally {
            Host.releaseMachine();
        }
    }

    @Test
    @Order(1)
    void aSignedBuildWritesAnArmoredDetachedSignatureAndSaysWhatItSigned() throws IOException {
        assertTrue(Files.readString(signed.signature()).startsWith("-----BEGIN PGP SIGNATURE-----"));
        assertTrue(signed.log().stdout().contains("signed " + signed.signature() + " (detached, ASCII-armored)"), signed.log().describe());
        assertTrue(signed.log().stdout().contains(projectJars() + " station-trust jars signed with jars.p12 alias release"), signed.log().describe());
        Command.of("gpgv", "--keyring", release.keyring().toString(), signed.signature().toString(), signed.deb().toString())
                .run().requireSuccess();
    }

    @Test
    @Order(2)
    void theDocumentedCommandVerifiesThePackageAndItsJars() {
        Command.Result r = verify("--jar-cert", release.jarCertificate().toString(), signed.deb().toString());
        assertEquals(0, r.exit(), r.describe());
        assertTrue(r.stdout().contains("signature verified"), r.describe());
        assertTrue(r.stdout().contains("the " + projectJars() + " station-trust jars are signed by"), r.describe());
    }

    /**
     * How many of the agent's jars this project builds, counted from the jars Maven resolved: those carrying
     * a Maven descriptor of group org.stationtrust. A new module in the agent's closure changes the count.
     */
    private static long projectJars() {
        long count = Packages.sbomJars(STATION_AGENT).stream().map(Packages.jars()::resolve).filter(ReleaseSigningTest::builtHere).count();
        assertTrue(count > 0, "no station-trust jar among the agent's jars in " + Packages.jars());
        return count;
    }

    private static boolean builtHere(Path jar) {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            return zip.stream().anyMatch(e -> e.getName().startsWith("META-INF/maven/org.stationtrust/"));
        } catch (IOException e) {
            throw new UncheckedIOException(jar + " is not a readable jar", e);
        }
    }

    @Test
    @Order(3)
    void librariesStayByteIdenticalToWhatMavenResolved() throws IOException {
        Path root = Packages.extract(signed, work.resolve("extracted"));
        Path picocli;
        try (var jars = Files.list(Packages.jars())) {
            picocli = jars.filter(p -> p.getFileName().toString().startsWith("picocli-")).findFirst().orElseThrow();
        }
        assertArrayEquals(Files.readAllBytes(picocli),
                Files.readAllBytes(root.resolve("usr/share/station-agent/lib").resolve(picocli.getFileName())));
    }

    @Test
    @Order(4)
    void aPackageChangedAfterSigningIsRefused() throws IOException {
        Path tampered = tamperedCopy(signed, "tampered");
        Command.Result r = verify(tampered.toString());
        assertEquals(1, r.exit(), r.describe());
        assertTrue(r.stderr().contains("REFUSED") && r.stderr().contains("does not verify"), r.describe());
    }

    @Test
    @Order(5)
    void aPackageSignedByAnotherKeyIsRefused() throws IOException {
        Path copy = Files.copy(signed.deb(), Files.createDirectories(work.resolve("other-key")).resolve("station-agent.deb"));
        attacker.signDetached(copy, Path.of(copy + ".asc"));
        Command.Result r = verify(copy.toString());
        assertEquals(1, r.exit(), r.describe());
        assertTrue(r.stderr().contains("does not verify"), r.describe());
    }

    @Test
    @Order(6)
    void aPackageWithoutItsSignatureIsRefused() throws IOException {
        Path copy = Files.copy(signed.deb(), Files.createDirectories(work.resolve("no-signature")).resolve("station-agent.deb"));
        Command.Result r = verify(copy.toString());
        assertEquals(1, r.exit(), r.describe());
        assertTrue(r.stderr().contains("expected the detached signature " + copy + ".asc"), r.describe());
    }

    @Test
    @Order(7)
    void jarsNotSignedByTheExpectedCertificateAreRefused() {
        Command.Result r = verify("--jar-cert", attacker.jarCertificate().toString(), signed.deb().toString());
        assertEquals(1, r.exit(), r.describe());
        assertTrue(r.stderr().contains("is not signed by " + attacker.jarCertificate()), r.describe());
    }

    @Test
    @Order(8)
    void theAptHookChecksOnlyStationAgentArchivesAndOnlyOnceAKeyringIsConfigured() throws IOException {
        Path tampered = tamperedCopy(signed, "hook");
        Command.Result notConfigured = hook(work.resolve("no-such-keyring.gpg"), tampered + "\n");
        assertEquals(0, notConfigured.exit(), "without a keyring the hook does nothing: " + notConfigured.describe());

        Command.Result configured = hook(release.keyring(), "/var/cache/apt/archives/other.deb\n" + tampered + "\n");
        assertEquals(1, configured.exit(), configured.describe());
        assertTrue(configured.stderr().contains("REFUSED " + tampered), configured.describe());

        Path otherPackage = otherPackage();
        Command.Result unrelated = hook(release.keyring(), otherPackage + "\n" + signed.deb() + "\n");
        assertEquals(0, unrelated.exit(), "another package, and a station-agent archive with a good signature: " + unrelated.describe());
    }

    @Test
    @Order(9)
    void installThroughTheVerifierRefusesATamperedPackageAndInstallsTheSignedOne() throws IOException {
        Host.assumeCanInstallPackages();
        Host.requireAbsent(STATION_AGENT);
        Command.Result refused = verify("--install", tamperedCopy(signed, "install-tampered").toString());
        assertEquals(1, refused.exit(), refused.describe());
        assertTrue(Host.status(STATION_AGENT).isEmpty(), "nothing was installed");

        Command.Result installed = verify("--install", signed.deb().toString());
        assertEquals(0, installed.exit(), installed.describe());
        assertEquals(signed.version(), Host.installedVersion(STATION_AGENT).orElseThrow());
    }

    @Test
    @Order(10)
    void onceAReleaseKeyringIsConfiguredAptRefusesAnUpgradeThatDoesNotVerify() throws IOException {
        Host.assumeCanInstallPackages();
        assertEquals(signed.version(), Host.installedVersion(STATION_AGENT).orElseThrow(), "the previous step installed the signed release");
        Files.copy(release.keyring(), CONFIGURED_KEYRING);

        Command.Result tampered = aptInstall(tamperedCopy(signedUpgrade, "apt-tampered"));
        assertTrue(tampered.exit() != 0 && tampered.output().contains("REFUSED"), tampered.describe());
        assertEquals(signed.version(), Host.installedVersion(STATION_AGENT).orElseThrow(), "the tampered upgrade was not installed");

        Path unsigned = Files.copy(signedUpgrade.deb(), Files.createDirectories(work.resolve("apt-unsigned")).resolve("station-agent.deb"));
        Command.Result withoutSignature = aptInstall(unsigned);
        assertTrue(withoutSignature.exit() != 0 && withoutSignature.output().contains("expected the detached signature"),
                withoutSignature.describe());
        assertEquals(signed.version(), Host.installedVersion(STATION_AGENT).orElseThrow());

        Command.Result good = aptInstall(signedUpgrade.deb());
        assertEquals(0, good.exit(), good.describe());
        assertEquals(signedUpgrade.version(), Host.installedVersion(STATION_AGENT).orElseThrow());
        assertTrue(Files.isRegularFile(CONFIGURED_KEYRING), "the configured keyring survives the upgrade");
    }

    private static Command.Result verify(String... args) {
        List<String> argv = new java.util.ArrayList<>(List.of("sh", verifyRelease.toString(), "--keyring", release.keyring().toString()));
        argv.addAll(List.of(args));
        return new Command(argv, Map.of(), false, null, Duration.ofMinutes(2)).run();
    }

    private static Command.Result hook(Path keyring, String archives) {
        return Command.of("sh", verifyRelease.toString(), "--keyring", keyring.toString(), "--apt-hook").withInput(archives).run();
    }

    /** A minimal package that is not station-agent, as APT hands the hook other archives too. */
    private static Path otherPackage() throws IOException {
        Path tree = Files.createDirectories(work.resolve("other/tree/DEBIAN"));
        Files.writeString(tree.resolve("control"), "Package: other-package\nVersion: 1.0\nArchitecture: all\n"
                + "Maintainer: test <test@test.invalid>\nDescription: not station-agent\n");
        Path deb = work.resolve("other/other-package_1.0_all.deb");
        Command.of("dpkg-deb", "--root-owner-group", "--build", tree.getParent().toString(), deb.toString()).run().requireSuccess();
        return deb;
    }

    private static Command.Result aptInstall(Path deb) {
        return Command.of("apt-get", "install", "-y", "-q", "--no-install-recommends", deb.toAbsolutePath().toString())
                .withEnvironment(Map.of("DEBIAN_FRONTEND", "noninteractive")).timeout(Duration.ofMinutes(3)).run();
    }

    /**
     * A well-formed package with one changed byte in the wrapper, next to the original signature: what
     * a mirror or a USB stick could hand over. dpkg itself would install it.
     */
    private static Path tamperedCopy(Packages.Built original, String name) throws IOException {
        Path dir = Files.createDirectories(work.resolve(name));
        Path tree = dir.resolve("tree");
        Command.of("dpkg-deb", "--raw-extract", original.deb().toString(), tree.toString()).run().requireSuccess();
        Files.writeString(tree.resolve("usr/bin/station-agent"), "# changed after signing\n",
                java.nio.file.StandardOpenOption.APPEND);
        Path deb = dir.resolve(original.deb().getFileName());
        Command.of("dpkg-deb", "--root-owner-group", "-Zgzip", "--build", tree.toString(), deb.toString()).run().requireSuccess();
        Files.copy(original.signature(), Path.of(deb + ".asc"));
        return deb;
    }
}
