package org.stationtrust.installer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Builds station-agent packages with the real {@code src/deb/build-deb} from the jars Maven copied
 * for the agent (target/agent-lib): the same command the package phase runs, at any version.
 */
final class AgentPackages {
    static final String PACKAGE = "station-agent";

    private AgentPackages() {
    }

    /** A package on disk: the archive, its Debian version, and what the build printed. */
    record Built(Path deb, String version, Command.Result log) {
        Path signature() {
            return deb.resolveSibling(deb.getFileName() + ".asc");
        }
    }

    /** The Debian version of this Maven build: 0.1.0-SNAPSHOT becomes 0.1.0~SNAPSHOT. */
    static String debianVersion() {
        return property("installer.version").replace("-SNAPSHOT", "~SNAPSHOT");
    }

    static Path agentLib() {
        return Path.of(property("installer.agentLib"));
    }

    private static final Map<String, Built> UNSIGNED = new java.util.HashMap<>();
    private static Path unsignedDir;

    /**
     * An unsigned package of {@code version}, built once per test JVM and shared by the test classes
     * (read-only: tests that change a package copy it first). Deleted when the JVM exits.
     */
    static synchronized Built unsigned(String version) {
        Built built = UNSIGNED.get(version);
        if (built != null) return built;
        try {
            if (unsignedDir == null) {
                unsignedDir = Files.createTempDirectory("station-agent-debs-");
                Path dir = unsignedDir;
                Runtime.getRuntime().addShutdownHook(new Thread(() -> Command.of("rm", "-rf", dir.toString()).run()));
            }
            built = build(Files.createDirectories(unsignedDir.resolve(version)), version, Map.of());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        UNSIGNED.put(version, built);
        return built;
    }

    /** Builds into {@code outDir}; {@code environment} carries the signing keys, if any. */
    static Built build(Path outDir, String version, Map<String, String> environment) {
        Command.Result log = buildCommand(outDir, version, agentLib()).withEnvironment(environment).run().requireSuccess();
        Path deb = outDir.resolve(PACKAGE + "_" + version.replace("-SNAPSHOT", "~SNAPSHOT") + "_amd64.deb");
        if (!Files.isRegularFile(deb)) throw new AssertionError("build-deb said it succeeded but " + deb + " is missing:\n" + log.describe());
        return new Built(deb, version.replace("-SNAPSHOT", "~SNAPSHOT"), log);
    }

    static Command buildCommand(Path outDir, String version, Path lib) {
        return Command.of("bash", property("installer.buildScript"), "--version", version, "--lib", lib.toString(),
                "--main-class", property("installer.mainClass"), "--out", outDir.toString()).timeout(Duration.ofMinutes(3));
    }

    /** Unpacks the archive's files (not the control area) into {@code dir}, as dpkg would lay them out. */
    static Path extract(Built built, Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Command.of("dpkg-deb", "-x", built.deb().toString(), dir.toString()).run().requireSuccess();
        return dir;
    }

    private static String property(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("system property " + name + " is not set; run the tests through Maven"
                    + " (mvn -pl installer test), which sets it in the surefire configuration");
        }
        return value;
    }
}
