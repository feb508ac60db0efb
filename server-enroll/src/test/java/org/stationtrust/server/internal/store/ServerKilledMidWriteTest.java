package org.stationtrust.server.internal.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
import org.stationtrust.server.testing.SoftwareEnrollee;
import org.stationtrust.server.testing.StationClient;
import org.stationtrust.server.testing.TestServer;
import org.stationtrust.testsupport.FreePorts;

/**
 * The server as its own process (the real {@code serve} command on SQLite), killed with SIGKILL while
 * stations enroll, while an admin approves, while stations attest, while stations rotate their machine keys
 * and while an admin revokes the machines. After each restart: every write the server acknowledged is there,
 * no machine is ACTIVE without an approval, its key and its baseline, no machine is PENDING_APPROVAL without
 * its first quote, every machine has exactly one current key which alone signs, revocations are whole and
 * refuse the machine, the audit chain verifies, and every station can go on without manual steps.
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
        org.junit.jupiter.api.Assumptions.assumeTrue(org.stationtrust.testsupport.TestPostgres.binaries() != null,
                "PostgreSQL is not installed (apt-get install -y postgresql)");
        try (org.stationtrust.testsupport.TestPostgres pg = org.stationtrust.testsupport.TestPostgres.start()) {
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

        assertEquals(STATIONS, count("SELECT COUNT(*) FROM machines WHERE state = 'ACTIVE'"), "one active machine per station");
        assertEquals(0, count("SELECT COUNT(*) FROM machines WHERE state NOT IN ('ACTIVE', 'REJECTED')"),
                "no half-enrolled machine is left pending");

        // 4. Killed while every station rotates its machine key in a loop (after 12 acknowledged writes: nonces and rotations).
        Map<String, KeyPair> inFlight = new ConcurrentHashMap<>();
        AtomicInteger rotated = new AtomicInteger();
        concurrently(stations, 12, s -> {
            while (true) {
                rotate(s, inFlight);
                rotated.incrementAndGet();
            }
        });
        restartAndCheck(acked, "key rotation");
        checkKeysAfterKill(stations, inFlight, rotated.get());
        for (SoftwareEnrollee s : stations) {
            rotate(s, inFlight);
            attest(s);
        }

        // 5. Killed while an admin revokes every machine at once (after 2 acknowledged revocations).
        Set<String> revoked = ConcurrentHashMap.newKeySet();
        concurrently(stations, 2, s -> {
            json(post("/api/v1/admin/machines/" + s.machineId + "/revoke", "{\"reason\":\"kill test\"}", adminToken, null), 200);
            revoked.add(s.machineId);
            acked.put(s.machineId, "REVOKED");
        });
        restartAndCheck(acked, "revocation");
        checkRevocationsAfterKill(stations, revoked);
        for (SoftwareEnrollee s : stations) {
            if (one("SELECT state FROM machines WHERE id = '" + s.machineId + "'").equals("ACTIVE")) {
                json(post("/api/v1/admin/machines/" + s.machineId + "/revoke", "{\"reason\":\"after restart\"}", adminToken, null), 200);
            }
            revoked.add(s.machineId); // now revoked, with or without an answer before the kill
        }
        server.destroyForcibly().waitFor();
        start();
        checkRevocationsAfterKill(stations, revoked); // a revoked machine stays revoked across another kill
        assertEquals(STATIONS, count("SELECT COUNT(*) FROM machines WHERE state = 'REVOKED'"));
        server.destroyForcibly().waitFor();

        try (Database db = Database.open(url, dbUser, null)) {
            assertTrue(new AuditLog(db).verify().intact());
        }
        assertEquals(0, ServerCommand.run(withDb("audit", "verify")));
    }

    /** One key rotation with a fresh key: nonce and rotation signed by the current key, then the station switches. */
    private void rotate(SoftwareEnrollee s, Map<String, KeyPair> inFlight) throws Exception {
        JsonNode n = json(post("/api/v1/attestation/nonces", "{\"purpose\":\"key-rotation\"}", null, s), 201);
        KeyPair next = org.stationtrust.server.testing.SoftwareStation.p256();
        inFlight.put(s.name(), next);
        json(post("/api/v1/stations/key-rotation", s.rotationBody(n.path("nonce").asText(), next), null, s), 200);
        s.useMachineKey(next);
        inFlight.remove(s.name());
    }

    /**
     * After a kill during rotations every machine has exactly one current key (none in limbo), and it is either the
     * key the station last had acknowledged or the one whose rotation was sent but not answered. Exactly that key
     * signs; the other is refused. A station whose unanswered rotation was committed switches to the new key.
     */
    private void checkKeysAfterKill(List<SoftwareEnrollee> stations, Map<String, KeyPair> inFlight, int acknowledged) throws Exception {
        int committedUnanswered = 0;
        int notCommitted = 0;
        for (SoftwareEnrollee s : stations) {
            assertEquals(1, count("SELECT COUNT(*) FROM machine_keys WHERE machine_id = '" + s.machineId + "' AND retired_at IS NULL"),
                    s.name() + ": exactly one current key after the kill");
            java.security.interfaces.ECPublicKey current = (java.security.interfaces.ECPublicKey) java.security.KeyFactory.getInstance("EC")
                    .generatePublic(new java.security.spec.X509EncodedKeySpec(java.util.Base64.getDecoder().decode(
                            one("SELECT spki FROM machine_keys WHERE machine_id = '" + s.machineId + "' AND retired_at IS NULL"))));
            KeyPair old = s.machineKey();
            KeyPair pending = inFlight.get(s.name());
            boolean isOld = current.getW().equals(((java.security.interfaces.ECPublicKey) old.getPublic()).getW());
            boolean isPending = pending != null && current.getW().equals(((java.security.interfaces.ECPublicKey) pending.getPublic()).getW());
            assertTrue(isOld || isPending, s.name() + ": the current key is neither the acknowledged nor the one in flight");
            if (isPending) {
                committedUnanswered++;
                assertEquals("signature_invalid", TestServer.errorCode(post("/api/v1/attestation/nonces", "{\"purpose\":\"quote\"}", null, s)),
                        s.name() + ": the retired key is refused once the rotation committed");
                s.useMachineKey(pending);
            } else if (pending != null) {
                notCommitted++;
                KeyPair acknowledgedKey = s.machineKey();
                s.useMachineKey(pending);
                assertEquals("signature_invalid", TestServer.errorCode(post("/api/v1/attestation/nonces", "{\"purpose\":\"quote\"}", null, s)),
                        s.name() + ": the key of a rotation that did not commit is refused");
                s.useMachineKey(acknowledgedKey);
            }
            inFlight.remove(s.name());
            assertEquals(201, post("/api/v1/attestation/nonces", "{\"purpose\":\"quote\"}", null, s).statusCode(),
                    s.name() + ": the current key signs");
        }
        System.out.printf("killed during key rotation: %d rotations acknowledged; of the unanswered ones %d committed (new key"
                + " current, old refused), %d not (old key current, new refused)%n", acknowledged, committedUnanswered, notCommitted);
    }

    /**
     * After a kill during revocations every machine is ACTIVE or fully REVOKED (who, when, why, audited); every
     * acknowledged revocation holds, and a revoked machine is refused for signed requests and attestation.
     */
    private void checkRevocationsAfterKill(List<SoftwareEnrollee> stations, Set<String> acknowledged) throws Exception {
        int revokedUnanswered = 0;
        for (SoftwareEnrollee s : stations) {
            String state = one("SELECT state FROM machines WHERE id = '" + s.machineId + "'");
            assertTrue(state.equals("ACTIVE") || state.equals("REVOKED"), s.name() + " is " + state);
            if (acknowledged.contains(s.machineId)) assertEquals("REVOKED", state, s.name() + ": an acknowledged revocation was lost");
            if (state.equals("REVOKED")) {
                if (!acknowledged.contains(s.machineId)) revokedUnanswered++;
                assertEquals(1, count("SELECT COUNT(*) FROM machines WHERE id = '" + s.machineId + "' AND revoked_at IS NOT NULL"
                        + " AND revoked_by IS NOT NULL AND revoke_reason IS NOT NULL"), s.name() + ": revoked without who, when and why");
                assertEquals(1, count("SELECT COUNT(*) FROM audit_events WHERE action = 'machine.revoke' AND subject = '" + s.machineId + "'"),
                        s.name() + ": one audited revocation");
                assertEquals("machine_not_active", TestServer.errorCode(post("/api/v1/attestation/nonces", "{\"purpose\":\"quote\"}", null, s)),
                        s.name() + ": a revoked machine is refused");
            } else {
                assertEquals(1, count("SELECT COUNT(*) FROM machines WHERE id = '" + s.machineId + "' AND revoked_at IS NULL"),
                        s.name() + ": active but marked revoked");
                attest(s);
            }
        }
        System.out.printf("killed during revocation: %d acknowledged, %d more committed without an answer%n",
                acknowledged.size(), revokedUnanswered);
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

    /** One attestation, every other one in the unsigned exchange (the quote authenticates it). */
    private void attest(SoftwareEnrollee s) throws Exception {
        boolean unsigned = attestations.getAndIncrement() % 2 == 1;
        JsonNode n = json(post("/api/v1/attestation/nonces", unsigned ? "{\"purpose\":\"quote\",\"machineId\":\""
                + s.machineId + "\"}" : "{\"purpose\":\"quote\"}", null, unsigned ? null : s), 201);
        var quote = s.quoteJson(n.path("nonce").asText());
        if (unsigned) quote.put("machineId", s.machineId);
        JsonNode q = json(post("/api/v1/attestation/quotes", quote.toString(), null, unsigned ? null : s), 200);
        assertEquals("PASSED", q.path("result").asText(), q.toString());
    }

    private final AtomicInteger attestations = new AtomicInteger();

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
        int port = FreePorts.loopback();
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
