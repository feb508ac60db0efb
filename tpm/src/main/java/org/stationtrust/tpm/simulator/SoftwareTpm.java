package org.stationtrust.tpm.simulator;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.stationtrust.tpm.verify.HashAlgorithm;

/**
 * A hermetic swtpm instance: its own state directory, its own local CA and configuration files
 * (nothing under /etc or /var/lib is read or written), listening on free loopback ports.
 *
 * <p>{@link #start(Path)} manufactures the TPM with {@code swtpm_setup} (RSA 2048 and ECC P-384 EKs
 * with certificates in NV, a platform certificate) and runs {@code swtpm socket}. The data port is
 * {@link #port()} and the control port is {@code port() + 1}, the layout tpm2-tools' swtpm TCTI
 * expects. Several instances can run side by side.
 */
public final class SoftwareTpm implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);
    private static final int START_ATTEMPTS = 5;

    private final Path workDir;
    private final Path stateDir;
    private final Path trustDir;
    private final List<X509Certificate> caCertificates;
    private Process process;
    private Thread shutdownHook;
    private int port;

    private SoftwareTpm(Path workDir, List<X509Certificate> caCertificates) {
        this.workDir = workDir;
        this.stateDir = workDir.resolve("state");
        this.trustDir = workDir.resolve("trust");
        this.caCertificates = List.copyOf(caCertificates);
    }

    /**
     * Manufactures a fresh TPM in {@code workDir} (created if missing; any previous state there is
     * overwritten) and starts it.
     */
    public static SoftwareTpm start(Path workDir) {
        return start(workDir, List.of(HashAlgorithm.SHA256));
    }

    /**
     * As {@link #start(Path)} with these PCR banks allocated (swtpm_setup's active_pcr_banks), e.g. SHA-1 and
     * SHA-256 for the older laptops whose firmware logs and extends the SHA-1 bank.
     */
    public static SoftwareTpm start(Path workDir, List<HashAlgorithm> pcrBanks) {
        if (pcrBanks == null || pcrBanks.isEmpty() || pcrBanks.stream().distinct().count() != pcrBanks.size()) {
            throw new IllegalArgumentException("allocate at least one PCR bank, each once; got " + pcrBanks);
        }
        Path dir = requireUsableDirectory(workDir);
        String swtpm = Programs.require("swtpm");
        String setup = Programs.require("swtpm_setup");
        String localca = Programs.require("swtpm_localca");
        try {
            List<X509Certificate> certificates = SwtpmManufacturer.manufacture(dir, setup, localca, pcrBanks);
            SoftwareTpm tpm = new SoftwareTpm(dir, certificates);
            tpm.launch(swtpm);
            return tpm;
        } catch (IOException e) {
            throw new SoftwareTpmException("could not prepare the software TPM in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The connection setting for {@code TpmConnection.open}: {@code swtpm:127.0.0.1:PORT}. */
    public synchronized String uri() {
        requireRunning();
        return "swtpm:127.0.0.1:" + port;
    }

    /** The TCP port of the TPM command channel (the control channel is the next port). */
    public synchronized int port() {
        requireRunning();
        return port;
    }

    /** The TCTI setting for tpm2-tools, e.g. {@code swtpm:host=127.0.0.1,port=2321}. */
    public synchronized String tcti() {
        requireRunning();
        return "swtpm:host=127.0.0.1,port=" + port;
    }

    /** The local CA that signed the EK certificates: root first, then the intermediate (issuer). */
    public List<X509Certificate> caCertificates() {
        return caCertificates;
    }

    /** A directory holding only the CA certificates as PEM files (no private keys): a trust store. */
    public Path caDirectory() {
        return trustDir;
    }

    /** The directory holding the TPM's persistent state. */
    public Path stateDirectory() {
        return stateDir;
    }

    /** The work directory this instance was started in. */
    public Path workDirectory() {
        return workDir;
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /**
     * Stops the simulator and starts it again on the same state, like a reboot: persistent objects
     * and NV survive, PCRs are reset and transient objects and sessions are gone. Keeps the same
     * ports when they are still free.
     */
    public synchronized void restart() {
        String swtpm = Programs.require("swtpm");
        stopProcess();
        launch(swtpm);
    }

    /** Stops the simulator (SIGTERM, then SIGKILL after a few seconds). Idempotent. */
    @Override
    public synchronized void close() {
        stopProcess();
    }

    private synchronized void launch(String swtpm) {
        List<String> failures = new ArrayList<>();
        int preferred = port;
        for (int attempt = 0; attempt < START_ATTEMPTS; attempt++) {
            int candidate = (attempt == 0 && preferred != 0 && LoopbackPorts.pairFree(preferred)) ? preferred : LoopbackPorts.freePair();
            Process started = spawn(swtpm, candidate);
            if (waitUntilListening(started, candidate)) {
                this.process = started;
                this.port = candidate;
                installShutdownHook();
                return;
            }
            started.destroyForcibly();
            failures.add("port " + candidate + ": " + Programs.tail(workDir.resolve("swtpm.log")));
        }
        throw new SoftwareTpmException("swtpm did not start after " + START_ATTEMPTS + " attempts; "
                + "see " + workDir.resolve("swtpm.log") + ". Last errors: " + failures);
    }

    private Process spawn(String swtpm, int candidate) {
        Path log = workDir.resolve("swtpm.log");
        List<String> command = List.of(swtpm, "socket", "--tpm2",
                "--server", "type=tcp,port=" + candidate + ",bindaddr=127.0.0.1",
                "--ctrl", "type=tcp,port=" + (candidate + 1) + ",bindaddr=127.0.0.1",
                "--flags", "not-need-init,startup-clear",
                "--tpmstate", "dir=" + stateDir,
                "--pid", "file=" + workDir.resolve("swtpm.pid"),
                "--log", "file=" + log + ",level=1");
        try {
            return new ProcessBuilder(command)
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(workDir.resolve("swtpm.out").toFile()))
                    .start();
        } catch (IOException e) {
            throw new SoftwareTpmException("could not run " + swtpm + ": " + e.getMessage() + "; " + Programs.INSTALL_HINT, e);
        }
    }

    private static boolean waitUntilListening(Process started, int candidate) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!started.isAlive()) {
                return false;
            }
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), candidate), 200);
                return true;
            } catch (IOException notYet) {
                sleep(10);
            }
        }
        return false;
    }

    private void stopProcess() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        process = null;
        removeShutdownHook();
    }

    private void installShutdownHook() {
        removeShutdownHook();
        Process toKill = process;
        shutdownHook = new Thread(toKill::destroyForcibly, "swtpm-stop-" + port);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    private void removeShutdownHook() {
        if (shutdownHook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is already exiting; the hook runs anyway
            }
            shutdownHook = null;
        }
    }

    private void requireRunning() {
        if (process == null) {
            throw new SoftwareTpmException("the software TPM in " + workDir + " is stopped; call restart() first");
        }
    }

    private static Path requireUsableDirectory(Path workDir) {
        Path dir = workDir.toAbsolutePath().normalize();
        String text = dir.toString();
        if (text.chars().anyMatch(c -> Character.isWhitespace(c) || c == ',' || c == '=')) {
            // swtpm's option syntax (dir=...,key=...) and its config files cannot carry these
            throw new SoftwareTpmException("the software TPM work directory must not contain spaces, ',' or '=': "
                    + text + "; choose another directory, e.g. Files.createTempDirectory(\"swtpm\")");
        }
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new SoftwareTpmException("cannot create the software TPM work directory " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether swtpm, swtpm_setup and swtpm_localca are installed. */
    public static boolean isInstalled() {
        try {
            Programs.require("swtpm");
            Programs.require("swtpm_setup");
            Programs.require("swtpm_localca");
            return true;
        } catch (SoftwareTpmException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return "SoftwareTpm[" + workDir + (process != null ? ", port " + port : ", stopped") + "]";
    }
}
