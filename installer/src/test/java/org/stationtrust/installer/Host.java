package org.stationtrust.installer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The machine the tests install on. Tests that change it run only as root with dpkg present, and
 * put it back: {@link #purge} is called from {@code @AfterAll} whatever happened.
 */
final class Host {
    /** The packages a test class checked were absent: only those may the tests purge. */
    private static final java.util.Set<Packages.Program> owned = java.util.EnumSet.noneOf(Packages.Program.class);
    private static final Path MACHINE_LOCK = Path.of(Files.isDirectory(Path.of("/run/lock")) ? "/run/lock" : "/tmp",
            "station-agent-installer-tests.lock");
    private static FileChannel lockChannel;
    private static FileLock machineLock;

    private Host() {
    }

    static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    static boolean hasCommand(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, name))) return true;
        }
        return Files.isExecutable(Path.of("/usr/sbin", name)) || Files.isExecutable(Path.of("/sbin", name));
    }

    /** Skips (with the reason) on a machine where packages cannot be installed by these tests. */
    static void assumeCanInstallPackages() {
        assumeTrue(hasCommand("dpkg"), "dpkg is absent: the install tests need a Debian machine");
        assumeTrue(isRoot(), "not root: dpkg -i needs root (CI runs as root); run the installer tests as root to cover install, upgrade and purge");
    }

    /**
     * Takes the machine for one test class that installs packages: another run of these tests on the
     * same machine (a second build, a CI check) waits here instead of fighting over dpkg's lock and
     * the service users. Released by {@link #releaseMachine()}.
     */
    static synchronized void takeMachine() {
        try {
            lockChannel = FileChannel.open(MACHINE_LOCK, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MINUTES.toNanos(10);
            while ((machineLock = lockChannel.tryLock()) == null) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("another run of the installer tests has held " + MACHINE_LOCK
                            + " for 10 minutes; wait for it to finish");
                }
                Thread.sleep(500);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock " + MACHINE_LOCK, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + MACHINE_LOCK, e);
        }
    }

    static synchronized void releaseMachine() {
        try {
            if (machineLock != null) machineLock.release();
            if (lockChannel != null) lockChannel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            machineLock = null;
            lockChannel = null;
        }
    }

    /** The dpkg status of a package ("install ok installed", "deinstall ok config-files"), if dpkg knows it. */
    static Optional<String> status(Packages.Program program) {
        Command.Result r = Command.of("dpkg-query", "-W", "-f=${Status}", program.name).run();
        return r.succeeded() && !r.stdout().isBlank() && !r.stdout().contains("not-installed")
                ? Optional.of(r.stdout().trim()) : Optional.empty();
    }

    static Optional<String> installedVersion(Packages.Program program) {
        Command.Result r = Command.of("dpkg-query", "-W", "-f=${Version}", program.name).run();
        return status(program).filter(s -> s.endsWith(" installed")).map(s -> r.stdout().trim());
    }

    /**
     * These tests own the package while they run; a machine that already has it (a real station or
     * server, or a developer's install) is not touched.
     */
    static synchronized void requireAbsent(Packages.Program program) {
        Optional<String> status = status(program);
        if (status.isPresent() && !owned.contains(program)) {
            throw new IllegalStateException(program.name + " is already known to dpkg here (" + status.get()
                    + "); these tests install and purge it, so they refuse to run over an existing install."
                    + " If it is a leftover of an interrupted test run, remove it with: dpkg --purge " + program.name);
        }
        if (status.isPresent()) purge(program);
        owned.add(program);
    }

    /**
     * Purges the package if these tests installed it (never an install that was there before); the
     * maintainer scripts remove state, config and the unit's enablement state.
     */
    static synchronized void purge(Packages.Program program) {
        if (owned.contains(program) && status(program).isPresent()) {
            Command.of("dpkg", "--purge", program.name).run().requireSuccess();
        }
    }

    static Command.Result dpkgInstall(Packages.Built built) {
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

    static Map<String, String> digests(Path dir) throws IOException, NoSuchAlgorithmException {
        Map<String, String> result = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                result.put(file.getFileName().toString(),
                        HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file))));
            }
        }
        return result;
    }

    static void awaitLine(Path log, String expected, Process process) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readString(log).contains(expected)) return;
            if (!process.isAlive()) throw new AssertionError("the service exited " + process.exitValue() + ":\n" + Files.readString(log));
            Thread.sleep(200);
        }
        throw new AssertionError("no '" + expected + "' within 60 s:\n" + Files.readString(log));
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
