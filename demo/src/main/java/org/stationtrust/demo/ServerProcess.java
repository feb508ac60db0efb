package org.stationtrust.demo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code server-enroll} as an admin runs it, through its command line only: {@code migrate}, {@code user add}
 * (random password in a 0600 file), {@code token issue}, then {@code serve --dev} as its own process, and
 * {@code audit verify}. The operator API is reached over TLS pinned to the fingerprint {@code serve} printed.
 */
final class ServerProcess implements AutoCloseable {
    static final String MAIN = "org.stationtrust.server.ServerCommand";
    private static final Duration WAIT = Duration.ofSeconds(60);

    private final Path dir;
    private final String jdbcUrl;
    private ChildJava process;
    private String url;
    private String pin;
    private JsonHttp operator;

    private ServerProcess(Path dir) {
        this.dir = dir;
        this.jdbcUrl = "jdbc:sqlite:" + dir.resolve("server.db");
    }

    /** Migrates a fresh SQLite database in {@code dir}, creates the admin, and starts {@code serve}. */
    static ServerProcess start(Path dir, Path ekTrustStore, Story story) throws Exception {
        ServerProcess s = new ServerProcess(Files.createDirectories(dir));
        try {
            s.cli("migrate", "--db", s.jdbcUrl);
            Path password = DemoSecrets.writeOwnerOnly(dir.resolve("admin-password"), DemoSecrets.random(24));
            s.cli("user", "add", "admin", "--role", "admin", "--password-file", password.toString(), "--db", s.jdbcUrl);
            story.say("admin operator 'admin' created; its random password is in %s (0600), never printed", password);
            String adminToken = s.cli("token", "issue", "--user", "admin", "--ttl", "PT1H", "--label", "demo",
                    "--db", s.jdbcUrl).lastLine().strip();
            // As server-enroll/README.md says to run it: two malloc arenas (measured: less CPU per request).
            s.process = ChildJava.start("server-enroll", dir.resolve("server.log"), Map.of("MALLOC_ARENA_MAX", "2"), MAIN,
                    "serve", "--dev",
                    "--bind", "127.0.0.1", "--port", "0", "--db", s.jdbcUrl, "--ek-trust-store", ekTrustStore.toString(),
                    "--require-enrollment-token", "--attestation-interval", "PT1H");
            s.pin = s.process.awaitLine(Pattern.compile("TLS public key pin \\(server.public_key_pins\\): (\\S+)"), WAIT).group(1);
            s.url = s.process.awaitLine(Pattern.compile("listening on (https://\\S+)"), WAIT).group(1);
            s.operator = JsonHttp.pinned(s.url, s.pin, adminToken);
            return s;
        } catch (Exception | Error e) {
            s.close();
            throw e;
        }
    }

    /** A one-time station enrollment token from {@code token issue --enrollment}, written to a 0600 file. */
    Path issueEnrollmentToken(Path file) throws Exception {
        return DemoSecrets.writeOwnerOnly(file, cli("token", "issue", "--enrollment", "--ttl", "PT1H", "--label",
                "demo-station", "--db", jdbcUrl).lastLine().strip());
    }

    /** {@code audit verify}: exit code and its last line. */
    ChildJava.Outcome auditVerify() throws Exception {
        return ChildJava.run(WAIT, Map.of(), MAIN, "audit", "verify", "--db", jdbcUrl);
    }

    /** Runs one subcommand to its end; a non-zero exit is an error naming the start of its output. */
    private ChildJava.Outcome cli(String... args) throws Exception {
        ChildJava.Outcome o = ChildJava.run(WAIT, Map.of(), MAIN, args);
        if (o.exitCode() != 0) {
            // a failing command printed no token (tokens are printed only on success)
            List<String> head = o.lines().subList(0, Math.min(3, o.lines().size()));
            throw new IllegalStateException("server-enroll " + args[0] + " exited " + o.exitCode() + ": "
                    + String.join(" | ", head));
        }
        return o;
    }

    String url() {
        return url;
    }

    String pin() {
        return pin;
    }

    JsonHttp operator() {
        return operator;
    }

    long pid() {
        return process.pid();
    }

    long residentKb() throws java.io.IOException {
        return process.residentKb();
    }

    Path database() {
        return dir.resolve("server.db");
    }

    Path log() {
        return dir.resolve("server.log");
    }

    @Override
    public void close() {
        if (process != null) {
            process.close();
        }
    }
}
