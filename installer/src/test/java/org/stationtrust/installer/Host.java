package org.stationtrust.installer;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

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

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
