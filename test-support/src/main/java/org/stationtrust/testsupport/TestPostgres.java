package org.stationtrust.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throw-away PostgreSQL from the Debian packages: own data directory in a temp dir, a free loopback port,
 * trust authentication for local test use only, stopped and deleted on close. As root it runs the server as
 * the {@code postgres} user (PostgreSQL refuses to run as root). The one launcher of every module's tests
 * (server-enroll's stores and load tests, the breach scanner's JDBC scan, the installer's package test).
 */
public final class TestPostgres implements AutoCloseable {
    private final Path dataDir;
    private final Path baseDir;
    private final String bin;
    private final int port;

    private TestPostgres(Path baseDir, Path dataDir, String bin, int port) {
        this.baseDir = baseDir;
        this.dataDir = dataDir;
        this.bin = bin;
        this.port = port;
    }

    /** The newest installed server binaries, or null when PostgreSQL is not installed. */
    public static String binaries() {
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) return null;
        try (Stream<Path> versions = Files.list(root)) {
            return versions.filter(p -> Files.isExecutable(p.resolve("bin/initdb")))
                    .max(Comparator.comparing(p -> Integer.parseInt(p.getFileName().toString().replaceAll("\\D", "0"))))
                    .map(p -> p.resolve("bin").toString()).orElse(null);
        } catch (IOException e) {
            return null;
        }
    }

    public static TestPostgres start() throws Exception {
        String bin = binaries();
        if (bin == null) throw new IllegalStateException("PostgreSQL is not installed: apt-get install -y postgresql");
        Path base = Files.createTempDirectory(Path.of("/tmp"), "station-trust-pg-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path data = base.resolve("data");
        Files.createDirectories(data);
        if (isRoot()) run(List.of("chown", "-R", "postgres:postgres", base.toString()), false);
        int port = FreePorts.loopback();
        TestPostgres pg = new TestPostgres(base, data, bin, port);
        run(List.of(bin + "/initdb", "-D", data.toString(), "-U", "postgres", "--auth=trust", "--no-sync",
                "-E", "UTF8"), true);
        run(List.of(bin + "/pg_ctl", "-D", data.toString(), "-w", "-t", "60", "-l", base.resolve("log").toString(),
                "-o", "-p " + port + " -c listen_addresses=127.0.0.1 -k " + base + " -c fsync=off", "start"), true);
        return pg;
    }

    /** The JDBC URL of {@code database} on this server (user {@code postgres}, no password). */
    public String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** Creates a database and returns its JDBC URL. */
    public String createDatabase(String name) throws Exception {
        // Trust authentication: the user is named in the URL, there is no password.
        try (Connection c = DriverManager.getConnection(url("postgres") + "?user=postgres");
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        return url(name);
    }

    /** Stops the server (fast shutdown: sessions are cut) and starts it again on the same port and data. */
    public void restart() throws Exception {
        run(List.of(bin + "/pg_ctl", "-D", dataDir.toString(), "-w", "-m", "fast", "stop"), true);
        run(List.of(bin + "/pg_ctl", "-D", dataDir.toString(), "-w", "-t", "60", "-l", baseDir.resolve("log").toString(),
                "-o", "-p " + port + " -c listen_addresses=127.0.0.1 -k " + baseDir + " -c fsync=off", "start"), true);
    }

    /** Stops the server until {@link #startAgain()}. */
    public void stop() throws Exception {
        run(List.of(bin + "/pg_ctl", "-D", dataDir.toString(), "-w", "-m", "fast", "stop"), true);
    }

    /**
     * Crashes the server: SIGKILL to the postmaster and then to every process it had started (backends, WAL
     * writer, checkpointer), as an OOM kill or a power cut would leave it; no shutdown checkpoint is written, so
     * {@link #startAgain()} runs crash recovery from the WAL. Returns how many processes were killed.
     */
    public int crash() throws Exception {
        long pid = Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).strip());
        ProcessHandle postmaster = ProcessHandle.of(pid).orElseThrow(() -> new IllegalStateException("no postmaster " + pid));
        List<ProcessHandle> children = postmaster.descendants().toList();
        postmaster.destroyForcibly();
        children.forEach(ProcessHandle::destroyForcibly);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (postmaster.isAlive() || children.stream().anyMatch(ProcessHandle::isAlive)) {
            if (System.nanoTime() > deadline) throw new IllegalStateException("PostgreSQL processes survived SIGKILL");
            Thread.sleep(50);
        }
        return 1 + children.size();
    }

    /** The server's log so far (start-ups, recovery, errors). */
    public String log() throws IOException {
        return Files.readString(baseDir.resolve("log"));
    }

    public void startAgain() throws Exception {
        run(List.of(bin + "/pg_ctl", "-D", dataDir.toString(), "-w", "-t", "60", "-l", baseDir.resolve("log").toString(),
                "-o", "-p " + port + " -c listen_addresses=127.0.0.1 -k " + baseDir + " -c fsync=off", "start"), true);
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static void run(List<String> command, boolean asPostgres) throws Exception {
        List<String> full = new ArrayList<>();
        if (asPostgres && isRoot()) full.addAll(List.of("runuser", "-u", "postgres", "--"));
        full.addAll(command);
        Process p = new ProcessBuilder(full).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("command failed: " + String.join(" ", full) + "\n" + out);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            run(List.of(bin + "/pg_ctl", "-D", dataDir.toString(), "-w", "-m", "immediate", "stop"), true);
        } catch (Exception e) {
            throw new IOException("could not stop the test PostgreSQL: " + e.getMessage(), e);
        } finally {
            try (Stream<Path> files = Files.walk(baseDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}
