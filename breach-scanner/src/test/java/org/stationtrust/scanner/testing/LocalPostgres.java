package org.stationtrust.scanner.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throw-away PostgreSQL from the Debian packages on a free loopback port, trust authentication, for the
 * scanner's JDBC test only; as root it runs as the postgres user. Stopped and deleted on close.
 */
public final class LocalPostgres implements AutoCloseable {
    private final Path base;
    private final String bin;
    public final int port;

    private LocalPostgres(Path base, String bin, int port) {
        this.base = base;
        this.bin = bin;
        this.port = port;
    }

    /** The newest installed binaries, or null. */
    public static String binaries() {
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) return null;
        try (Stream<Path> versions = Files.list(root)) {
            return versions.filter(p -> Files.isExecutable(p.resolve("bin/initdb"))).map(p -> p.resolve("bin").toString())
                    .max(Comparator.naturalOrder()).orElse(null);
        } catch (IOException e) {
            return null;
        }
    }

    public static LocalPostgres start() throws Exception {
        String bin = binaries();
        Path base = Files.createTempDirectory(Path.of("/tmp"), "breach-scanner-pg-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path data = base.resolve("data");
        Files.createDirectories(data);
        boolean root = "root".equals(System.getProperty("user.name"));
        if (root) run(List.of("chown", "-R", "postgres:postgres", base.toString()), false);
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        run(List.of(bin + "/initdb", "-D", data.toString(), "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8"), root);
        run(List.of(bin + "/pg_ctl", "-D", data.toString(), "-w", "-t", "60", "-l", base.resolve("log").toString(),
                "-o", "-p " + port + " -c listen_addresses=127.0.0.1 -k " + base + " -c fsync=off", "start"), root);
        return new LocalPostgres(base, bin, port);
    }

    public String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    private static void run(List<String> command, boolean asPostgres) throws Exception {
        List<String> full = new ArrayList<>();
        if (asPostgres) full.addAll(List.of("runuser", "-u", "postgres", "--"));
        full.addAll(command);
        Process p = new ProcessBuilder(full).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("command failed: " + String.join(" ", full) + "\n" + out);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            run(List.of(bin + "/pg_ctl", "-D", base.resolve("data").toString(), "-w", "-m", "immediate", "stop"),
                    "root".equals(System.getProperty("user.name")));
        } catch (Exception e) {
            throw new IOException("could not stop the test PostgreSQL: " + e.getMessage(), e);
        } finally {
            try (Stream<Path> files = Files.walk(base)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}
