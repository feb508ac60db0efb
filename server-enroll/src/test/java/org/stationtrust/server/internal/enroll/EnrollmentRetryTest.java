package org.stationtrust.server.internal.enroll;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stationtrust.server.Role;
import org.stationtrust.server.testing.TestServer;
import org.stationtrust.server.testing.TpmStation;
import org.stationtrust.tpm.IdentityConfig;
import org.stationtrust.tpm.MachineIdentity;
import org.stationtrust.tpm.TpmConnection;
import org.stationtrust.tpm.simulator.SoftwareTpm;

/**
 * A station whose enrollment answer was lost retries with the same token (docs/design.md, "Enrollment retry"): the
 * same station, signing the retry with its machine key, gets the same answer; everyone else is refused as before.
 * Real swtpm, real HTTP, real SQLite.
 */
class EnrollmentRetryTest {
    @TempDir
    static Path dir;
    static SoftwareTpm tpm;
    static TpmConnection connection;
    static TestServer server;
    static int nextHandle = 0x81000400;

    @BeforeAll
    static void start() throws Exception {
        tpm = SoftwareTpm.start(dir.resolve("tpm"));
        connection = TpmConnection.open(tpm.uri());
        server = TestServer.start(dir.resolve("db"), b -> b.ekTrustStore(tpm.caDirectory()).rateLimits(1000, 1000, 1000));
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) server.close();
        if (connection != null) connection.close();
        if (tpm != null) tpm.close();
    }

    static TpmStation station(String name) throws Exception {
        int base = nextHandle;
        nextHandle += 2;
        MachineIdentity id = MachineIdentity.provision(connection, IdentityConfig.defaults()
                .withHandles(IdentityConfig.DEFAULT_STORAGE_ROOT, base, base + 1));
        return new TpmStation(id, server.stations, name);
    }

    static String token() {
        return TestServer.json(server.as(Role.ADMIN, "POST", "/api/v1/admin/enrollment-tokens",
                "{\"note\":\"retry test\"}")).path("token").asText();
    }

    static ObjectNode bodyWith(TpmStation s, String token) {
        ObjectNode body = s.enrollmentBody();
        body.put("enrollmentToken", token);
        return body;
    }

    static int count(String sql, String param) {
        return server.db.withConnection(c -> {
            try (PreparedStatement p = c.prepareStatement(sql)) {
                p.setString(1, param);
                try (ResultSet rs = p.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                }
            }
        });
    }

    static int machinesNamed(String name) {
        return count("SELECT COUNT(*) FROM machines WHERE name = ?", name);
    }

    static int auditEvents(String action, String machineId) {
        return count("SELECT COUNT(*) FROM audit_events WHERE action = '" + action + "' AND subject = ?", machineId);
    }

    static void assertSameAnswer(JsonNode first, JsonNode again) {
        for (String f : List.of("machineId", "state", "ekVerified", "credentialBlob", "encryptedSecret", "quoteNonce")) {
            assertEquals(first.path(f), again.path(f), f + " of the retry's answer");
        }
    }

    @Test
    void aSignedRetryOfTheSameEnrollmentGetsTheSameAnswerAndTheStationActivatesWithIt() throws Exception {
        TpmStation s = station("retry-laptop-1");
        String token = token();
        HttpResponse<String> first = s.enrollSigned(bodyWith(s, token));
        assertEquals(201, first.statusCode(), first.body());
        // The agent certifies its key again for the retry (another TPMS_ATTEST, another signature): same keys, though.
        HttpResponse<String> again = s.enrollSigned(bodyWith(s, token));
        assertEquals(200, again.statusCode(), "a retry creates nothing and says so: " + again.body());
        assertSameAnswer(TestServer.json(first), TestServer.json(again));
        assertEquals(1, machinesNamed("retry-laptop-1"), "one pending enrollment");
        assertEquals(1, auditEvents("enrollment.begin", s.machineId));
        assertEquals(1, auditEvents("enrollment.retry", s.machineId), "the retry is audited as its own event");

        HttpResponse<String> activated = s.activate(TestServer.json(again));
        assertEquals(200, activated.statusCode(), "the TPM answers the repeated challenge: " + activated.body());
        assertEquals(0, count("SELECT COUNT(*) FROM enrollment_answers WHERE machine_id = ?", s.machineId),
                "the kept answer goes at activation");
        assertEquals("enrollment_token_invalid", TestServer.errorCode(s.enrollSigned(bodyWith(s, token))),
                "once activated the station had its answer: a further attempt is refused as before");
        assertEquals(1, machinesNamed("retry-laptop-1"));
    }

    @Test
    void aRetryOfARejectedEnrollmentIsRefusedAndItsKeptAnswerIsSweptAway() throws Exception {
        TpmStation s = station("retry-rejected");
        String token = token();
        assertEquals(201, s.enrollSigned(bodyWith(s, token)).statusCode());
        HttpResponse<String> rejected = server.as(Role.APPROVER, "POST", "/api/v1/admin/machines/" + s.machineId
                + "/reject", "{\"reason\":\"not ours\"}");
        assertEquals(200, rejected.statusCode(), rejected.body());
        assertEquals("enrollment_token_invalid", TestServer.errorCode(s.enrollSigned(bodyWith(s, token))),
                "only an enrollment awaiting activation is answered again");
        assertEquals(1, count("SELECT COUNT(*) FROM enrollment_answers WHERE machine_id = ?", s.machineId));
        server.db.inTransaction(c -> new org.stationtrust.server.internal.store.EnrollmentAnswerStore().forgetSettled(c));
        assertEquals(0, count("SELECT COUNT(*) FROM enrollment_answers WHERE machine_id = ?", s.machineId),
                "the sweep forgets the answers of settled enrollments");
    }

    @Test
    void aStationClockOffByMinutesEnrollsButItsRetryIsRefusedForItsTime() throws Exception {
        TpmStation s = station("retry-skewed");
        String body = bodyWith(s, token()).toString();
        String kid = java.util.HexFormat.of().formatHex(s.identity().machineKey().name());
        long fiveMinutesAhead = System.currentTimeMillis() / 1000 + 300;
        java.util.function.Supplier<String> skewed = () -> org.stationtrust.server.testing.StationClient.header(
                kid, org.stationtrust.server.testing.StationClient.payload("POST", "/api/v1/enrollments",
                        body.getBytes(java.nio.charset.StandardCharsets.UTF_8), fiveMinutesAhead,
                        org.stationtrust.server.testing.StationClient.randomNonce()), s.signer());
        HttpResponse<String> first = s.enrollWith(body, skewed.get());
        assertEquals(201, first.statusCode(), "a first enrollment needs no signature, so its time is not judged: "
                + first.body());
        assertEquals("timestamp_out_of_range", TestServer.errorCode(s.enrollWith(body, skewed.get())),
                "a retry is admitted by its signature alone, which must be timely");
        assertEquals(200, s.enrollSigned(TestServer.JSON.readValue(body, ObjectNode.class)).statusCode(),
                "once the clock is right the retry passes");
    }

    @Test
    void anUnsignedRetryIsRefusedAsASpentToken() throws Exception {
        TpmStation s = station("retry-unsigned");
        String token = token();
        assertEquals(201, s.enroll(bodyWith(s, token)).statusCode());
        HttpResponse<String> again = s.enrollWith(bodyWith(s, token).toString(), null);
        assertEquals(403, again.statusCode());
        assertEquals("enrollment_token_invalid", TestServer.errorCode(again), "without proof of the machine key, the "
                + "copy of a request (all public values) gets nothing");
        assertEquals(1, machinesNamed("retry-unsigned"));
    }

    @Test
    void aReplayedSignedRequestIsRefusedEvenWithinTheTimeWindow() throws Exception {
        TpmStation s = station("retry-replay");
        String body = bodyWith(s, token()).toString();
        String header = s.enrollmentSignature(body);
        assertEquals(201, s.enrollWith(body, header).statusCode());
        HttpResponse<String> replay = s.enrollWith(body, header);
        assertEquals("request_replayed", TestServer.errorCode(replay), "a signed request's nonce is single-use: "
                + replay.body());
        assertEquals(1, machinesNamed("retry-replay"));
        assertEquals(0, auditEvents("enrollment.retry", s.machineId));
    }

    @Test
    void theSameTokenFromAnotherStationIsRefusedSignedOrNot() throws Exception {
        TpmStation s = station("retry-owner");
        String token = token();
        assertEquals(201, s.enrollSigned(bodyWith(s, token)).statusCode());
        TpmStation other = station("retry-owner"); // same name and EK (same TPM), another AK and machine key
        assertEquals("enrollment_token_invalid", TestServer.errorCode(other.enrollSigned(bodyWith(other, token))));
        assertEquals("enrollment_token_invalid", TestServer.errorCode(other.enroll(bodyWith(other, token))));
        assertEquals(1, machinesNamed("retry-owner"));
    }

    @Test
    void aRetryUnderAnotherNameIsRefused() throws Exception {
        TpmStation s = station("retry-name-a");
        String token = token();
        assertEquals(201, s.enrollSigned(bodyWith(s, token)).statusCode());
        TpmStation renamed = new TpmStation(s.identity(), server.stations, "retry-name-b");
        assertEquals("enrollment_token_invalid", TestServer.errorCode(renamed.enrollSigned(bodyWith(renamed, token))));
        assertEquals(0, machinesNamed("retry-name-b"));
    }

    @Test
    void aSignatureByAnotherKeyThanTheBodysIsRefused() throws Exception {
        TpmStation s = station("retry-forged");
        TpmStation thief = station("retry-thief");
        String token = token();
        assertEquals(201, s.enrollSigned(bodyWith(s, token)).statusCode());
        // The thief sends the owner's body (public values) and signs with its own TPM key, naming the owner's key.
        String body = bodyWith(s, token).toString();
        String kid = java.util.HexFormat.of().formatHex(s.identity().machineKey().name());
        String forged = org.stationtrust.server.testing.StationClient.header(kid,
                org.stationtrust.server.testing.StationClient.payload("POST", "/api/v1/enrollments",
                        body.getBytes(java.nio.charset.StandardCharsets.UTF_8), System.currentTimeMillis() / 1000,
                        org.stationtrust.server.testing.StationClient.randomNonce()), thief.signer());
        assertEquals("signature_invalid", TestServer.errorCode(thief.enrollWith(body, forged)));
        assertEquals(0, auditEvents("enrollment.retry", s.machineId));
    }

    @Test
    void concurrentDuplicateRetriesLeaveOneEnrollment() throws Exception {
        TpmStation s = station("retry-burst");
        String token = token();
        String body = bodyWith(s, token).toString();
        int n = 6;
        List<String> headers = new ArrayList<>();
        for (int i = 0; i < n; i++) headers.add(s.enrollmentSignature(body)); // the TPM signs one at a time
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<HttpResponse<String>>> sent = new ArrayList<>();
            for (String h : headers) {
                sent.add(pool.submit(() -> {
                    go.await();
                    return server.stations.sendRaw("POST", "/api/v1/enrollments", body, h);
                }));
            }
            go.countDown();
            int created = 0;
            JsonNode firstAnswer = null;
            for (Future<HttpResponse<String>> f : sent) {
                HttpResponse<String> r = f.get();
                assertTrue(r.statusCode() == 201 || r.statusCode() == 200, r.body());
                if (r.statusCode() == 201) created++;
                if (firstAnswer == null) firstAnswer = TestServer.json(r);
                else assertSameAnswer(firstAnswer, TestServer.json(r));
            }
            assertEquals(1, created, "exactly one attempt created the enrollment");
            assertEquals(1, machinesNamed("retry-burst"));
            String id = firstAnswer.path("machineId").asText();
            assertEquals(n - 1, auditEvents("enrollment.retry", id));
        } finally {
            pool.shutdownNow();
        }
    }
}
