package org.stationtrust.server.internal.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stationtrust.server.ServerCommand;
import org.stationtrust.server.internal.audit.AuditLog;
import org.stationtrust.server.internal.testing.SoftwareEnrollee;
import org.stationtrust.server.internal.testing.StationClient;
import org.stationtrust.server.internal.testing.TestServer;

/**
 * The server as its own process (the real {@code serve} command on SQLite), killed with SIGKILL while
 * stations enroll, while an admin approves, and while stations attest. After each restart: every write the
 * server acknowledged is there, no machine is ACTIVE without an approval, its key and its baseline, no
 * machine is PENDING_APPROVAL without its first quote, the audit chain verifies, and every station can
 * finish its enrollment and attest without manual steps.
 */
class ServerKilledMidWriteTest {
    private static final int STATIONS = 8; // enrollment + activation share a 20/min limit per client address
    private static final String PASSWORD = "correct horse battery staple for the kill test";
    @TempDir Path dir;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private String url;
    /** "--db URL" plus "--db-user postgres" on PostgreSQL. */
    private String[] db;
    private String dbUser;
    private String adminToken;
    private Process server;
    private String base;
    /** Counts acknowledged writes in the current phase; the server is killed when it reaches zero. */
    private volatile CountDownLatch progress = new CountDownLatch(0);

    @Test
    void killedOnSqliteItLosesNothingAcknowledgedAndStaysConsistent() throws Exception {
        url = "jdbc:sqlite:" + dir.resolve("server.db");
        db = new String[] {"--db", url};
        killDuringEnrollmentApprovalAndAttestation();
    }

    @Test
    void killedOnPostgresItLosesNothingAcknowledgedAndStaysConsistent() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(org.stationtrust.server.internal.testing.TestPostgres.binaries() != null,
                "PostgreSQL is not installed (apt-get install -y postgresql)");
        try (org.stationtrust.server.internal.testing.TestPostgres pg = org.stationtrust.server.internal.testing.TestPostgres.start()) {
            url = pg.createDatabase("killed");
            dbUser = "postgres";
            db = new String[] {"--db", url, "--db-user", dbUser};
            killDuringEnrollmentApprovalAndAttestation();
        }
    }

    private String[] withDb(String... args) {
        String[] all = java.util.Arrays.copyOf(args, args.length + db.length);
        System.arraycopy(db, 0, all, args.length, db.length);
        return all;
    }

    private void killDuringEnrollmentApprovalAndAttestation() throws Exception {
        assertEquals(0, ServerCommand.run(withDb("migrate")));
        Path pw = Files.writeString(dir.resolve("pw"), PASSWORD);
        Files.setPosixFilePermissions(pw, PosixFilePermissions.fromString("rw-------"));
        assertEquals(0, ServerCommand.run(withDb("user", "add", "admin", "--role", "admin", "--password-file", pw.toString())));
        adminToken = cli(withDb("token", "issue", "--user", "admin"));
        List<SoftwareEnrollee> stations = new ArrayList<>();
        for (int i = 0; i < STATIONS; i++) stations.add(new SoftwareEnrollee("killed-" + i));
        Map<String, JsonNode> challenges = new ConcurrentHashMap<>();
        Map<String, String> acked = new ConcurrentHashMap<>(); // machineId -> last acknowledged state

        // 1. Killed while stations enroll and activate (kill as soon as the first activation is acknowledged).
        start();
        concurrently(stations, 1, s -> {
            JsonNode c = json(post("/api/v1/enrollments", s.enrollmentBody(), null, null), 201);
            s.machineId = c.path("machineId").asText();
            challenges.put(s.name(), c);
            acked.put(s.machineId, "PENDING_ACTIVATION");
            json(post("/api/v1/enrollments/" + s.machineId + "/activation", s.activationBody(c), null, null), 200);
            acked.put(s.machineId, "PENDING_APPROVAL");
        });
        restartAndCheck(acked, "enrollment");
        finishEnrollments(stations, challenges, acked, false);

        // 2. Killed while an admin approves every pending machine at once.
        concurrently(stations, 1, s -> {
            json(post("/api/v1/admin/machines/" + s.machineId + "/approve", "{\"reason\":\"kill test\"}", adminToken, null), 200);
            acked.put(s.machineId, "ACTIVE");
        });
        restartAndCheck(acked, "approval");
        finishEnrollments(stations, challenges, acked, true);

        // 3. Killed while every station attests in a loop (after 10 acknowledged attestations).
        AtomicInteger attested = new AtomicInteger();
        concurrently(stations, 20, s -> { // 20 acknowledged requests = 10 attestations
            while (true) {
                attest(s);
                attested.incrementAndGet();
            }
        });
        long passedBefore = count("SELECT COUNT(*) FROM attestations WHERE outcome = 'PASSED'");
        assertTrue(passedBefore >= attested.get(), "every acknowledged attestation was recorded: " + passedBefore + " < " + attested.get());
        restartAndCheck(acked, "attestation");
        for (SoftwareEnrollee s : stations) attest(s);
        server.destroyForcibly().waitFor();

        assertEquals(STATIONS, count("SELECT COUNT(*) FROM machines WHERE state = 'ACTIVE'"), "one active machine per station");
        assertEquals(0, count("SELECT COUNT(*) FROM machines WHERE state NOT IN ('ACTIVE', 'REJECTED')"),
                "no half-enrolled machine is left pending");
        try (Database db = Database.open(url, dbUser, null)) {
            assertTrue(new AuditLog(db).verify().intact());
        }
        assertEquals(0, ServerCommand.run(withDb("audit", "verify")));
    }

    /** A station task; throws when the server goes away. */
    interface Step {
        void run(SoftwareEnrollee s) throws Exception;
    }

    /** Runs the step for every station at once and kills the server after {@code killAfter} acknowledged writes of any. */
    private void concurrently(List<SoftwareEnrollee> stations, int killAfter, Step step) throws Exception {
        CountDownLatch acknowledged = new CountDownLatch(killAfter);
        progress = acknowledged;
        ExecutorService pool = Executors.newFixedThreadPool(stations.size());
        for (SoftwareEnrollee s : stations) {
            pool.submit(() -> {
                try {
                    step.run(s);
                } catch (Exception | AssertionError e) {
                    // the server was killed under this station: expected
                }
                return null;
            });
        }
        assertTrue(acknowledged.await(60, TimeUnit.SECONDS), "no acknowledged write before the kill");
        server.destroyForcibly(); // SIGKILL on Linux: no shutdown hook, no connection close
        server.waitFor();
        progress = new CountDownLatch(0);
        pool.shutdown();
        assertTrue(pool.awaitTermination(60, TimeUnit.SECONDS));
    }

    private void restartAndCheck(Map<String, String> acked, String phase) throws Exception {
        System.out.printf("killed during %s: acknowledged %s; stored %s; audit rows %d%n", phase,
                acked.values().stream().sorted().toList(), states(), count("SELECT COUNT(*) FROM audit_events"));
        start();
        for (Map.Entry<String, String> e : acked.entrySet()) {
            String state = one("SELECT state FROM machines WHERE id = '" + e.getKey() + "'");
            assertTrue(state != null, phase + ": acknowledged enrollment " + e.getKey() + " was lost");
            assertTrue(rank(state) >= rank(e.getValue()) || state.equals("REJECTED"),
                    phase + ": " + e.getKey() + " acknowledged as " + e.getValue() + " but stored as " + state);
        }
        assertEquals(0, count("SELECT COUNT(*) FROM machines m WHERE state = 'ACTIVE' AND (decided_by IS NULL OR baseline_pcrs IS NULL"
                + " OR NOT EXISTS (SELECT 1 FROM machine_keys k WHERE k.machine_id = m.id))"), phase + ": a half-approved machine is active");
        assertEquals(0, count("SELECT COUNT(*) FROM machines WHERE state = 'PENDING_APPROVAL' AND first_quote_pcrs IS NULL"),
                phase + ": a half-activated machine awaits approval");
        assertEquals(0, ServerCommand.run(withDb("audit", "verify")), phase + ": the audit chain is broken");
    }

    /** After a restart, each station completes what the kill interrupted, from the state the server reports. */
    private void finishEnrollments(List<SoftwareEnrollee> stations, Map<String, JsonNode> challenges, Map<String, String> acked,
                                   boolean approve) throws Exception {
        for (SoftwareEnrollee s : stations) {
            String state = s.machineId == null ? null : one("SELECT state FROM machines WHERE id = '" + s.machineId + "'");
            if (state == null || state.equals("REJECTED")) {
                JsonNode c = json(post("/api/v1/enrollments", s.enrollmentBody(), null, null), 201);
                s.machineId = c.path("machineId").asText();
                challenges.put(s.name(), c);
                state = "PENDING_ACTIVATION";
            }
            if (state.equals("PENDING_ACTIVATION")) {
                json(post("/api/v1/enrollments/" + s.machineId + "/activation", s.activationBody(challenges.get(s.name())), null, null), 200);
                state = "PENDING_APPROVAL";
            }
            if (approve && state.equals("PENDING_APPROVAL")) {
                json(post("/api/v1/admin/machines/" + s.machineId + "/approve", "{\"reason\":\"after restart\"}", adminToken, null), 200);
                state = "ACTIVE";
            }
            acked.put(s.machineId, state);
        }
    }

    private void attest(SoftwareEnrollee s) throws Exception {
        JsonNode n = json(post("/api/v1/attestation/nonces", "{\"purpose\":\"quote\"}", null, s), 201);
        JsonNode q = json(post("/api/v1/attestation/quotes", s.quoteJson(n.path("nonce").asText()).toString(), null, s), 200);
        assertEquals("PASSED", q.path("result").asText(), q.toString());
    }

    private static int rank(String state) {
        return switch (state) {
            case "PENDING_ACTIVATION" -> 0;
            case "PENDING_APPROVAL" -> 1;
            case "ACTIVE" -> 2;
            default -> 3;
        };
    }

    private HttpResponse<String> post(String path, String body, String bearer, SoftwareEnrollee signer) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (bearer != null) r.header("Authorization", "Bearer " + bearer);
        if (signer != null) {
            r.header("X-Station-Signature", StationClient.header(signer.machineId, StationClient.payload("POST", path,
                    body.getBytes(StandardCharsets.UTF_8), System.currentTimeMillis() / 1000, StationClient.randomNonce()),
                    StationClient.jcaSigner(signer.machineKey())));
        }
        return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode json(HttpResponse<String> r, int expected) {
        if (r.statusCode() != expected) throw new AssertionError(r.statusCode() + " " + r.body());
        JsonNode body = TestServer.json(r);
        progress.countDown();
        return body;
    }

    private void start() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"), "org.stationtrust.server.ServerCommand",
                "serve", "--bind", "127.0.0.1", "--port", Integer.toString(port), "--insecure-plaintext-http"));
        command.addAll(List.of(db));
        server = new ProcessBuilder(command)
                .redirectErrorStream(true).redirectOutput(dir.resolve("server-" + port + ".log").toFile()).start();
        base = "http://127.0.0.1:" + port;
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(base + "/ready")).build(), HttpResponse.BodyHandlers.ofString()).statusCode() == 200) return;
            } catch (IOException notYet) {
                // still starting
            }
            if (!server.isAlive()) throw new AssertionError("server exited: " + Files.readString(dir.resolve("server-" + port + ".log")));
            if (System.nanoTime() > deadline) throw new AssertionError("server did not become ready");
            Thread.sleep(100);
        }
    }

    private String states() {
        try (Database db = Database.open(url, dbUser, null)) {
            return db.withConnection(c -> {
                StringBuilder out = new StringBuilder();
                try (ResultSet rs = c.createStatement().executeQuery("SELECT state, COUNT(*) FROM machines GROUP BY state ORDER BY state")) {
                    while (rs.next()) out.append(rs.getString(1)).append('=').append(rs.getLong(2)).append(' ');
                }
                return out.toString().strip();
            });
        }
    }

    private long count(String sql) {
        return Long.parseLong(one(sql));
    }

    private String one(String sql) {
        try (Database db = Database.open(url, dbUser, null)) {
            return db.withConnection(c -> {
                try (ResultSet rs = c.createStatement().executeQuery(sql)) {
                    return rs.next() ? rs.getString(1) : null;
                }
            });
        }
    }

    private static String cli(String... args) {
        PrintStream saved = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            assertEquals(0, ServerCommand.run(args));
        } finally {
            System.setOut(saved);
        }
        String[] lines = out.toString(StandardCharsets.UTF_8).strip().split("\n");
        return lines[lines.length - 1].strip();
    }
}
