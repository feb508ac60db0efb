package org.stationtrust.server.internal.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.stationtrust.protocol.EnrollmentState;
import org.stationtrust.server.Role;
import org.stationtrust.server.internal.auth.LoginThrottle;
import org.stationtrust.server.testing.RawHttp;
import org.stationtrust.server.testing.SoftwareStation;
import org.stationtrust.server.testing.StationClient;
import org.stationtrust.server.testing.TestServer;
import org.stationtrust.server.testing.TpmStation;
import org.stationtrust.tpm.IdentityConfig;
import org.stationtrust.tpm.MachineIdentity;
import org.stationtrust.tpm.TpmConnection;

/**
 * Two server instances on one database (behind a load balancer): the protocol spans both, and a nonce
 * (attestation or request) accepted by one is refused by the other. Run on PostgreSQL and on SQLite.
 */
abstract class MultiInstanceSuite {
    abstract TestServer first();

    abstract TestServer second();

    abstract TpmConnection tpm();

    /** A further instance on the same database, started now; the caller closes it. */
    abstract TestServer anotherInstance();

    /**
     * Password guesses at one account, alternating between the instances and each from another address: the
     * account backs off after {@link LoginThrottle#FREE_FAILURES} failures in all, not per instance, and an
     * instance that saw none of them (as after a restart) holds the account back too; the operator's device
     * cookie, issued by one instance, passes on every other.
     */
    @Test
    void passwordGuessesSpreadOverInstancesMakeTheAccountBackOffOnEveryInstance() throws Exception {
        try (TestServer third = anotherInstance()) {
            RawHttp.Answer signedIn = first().pageLogin("127.0.0.1", "approver", TestServer.PASSWORD, null);
            assertEquals(303, signedIn.status(), signedIn.body());
            String device = TestServer.setCookie(signedIn, LoginThrottle.DEVICE_COOKIE);
            for (int i = 0; i < LoginThrottle.FREE_FAILURES; i++) {
                RawHttp.Answer a = (i % 2 == 0 ? first() : second()).pageLogin("127.0.3." + (10 + i), "approver",
                        "guess " + i, null);
                assertEquals(401, a.status(), "guess " + i + " has its password checked");
            }
            // 3 failures on one instance, 2 on the other: per instance neither would hold the account back yet
            RawHttp.Answer held = second().pageLogin("127.0.3.40", "approver", "guess 5", null);
            assertEquals(429, held.status(), "five failures in all make the account wait: " + held.body());
            RawHttp.Answer fresh = third.pageLogin("127.0.3.41", "approver", TestServer.PASSWORD, null);
            assertEquals(429, fresh.status(), "an instance that saw no failure holds the account back too, even "
                    + "against the right password from an unknown browser");
            assertTrue(fresh.body().contains("retry in"), fresh.body());
            RawHttp.Answer known = third.pageLogin("127.0.3.42", "approver", TestServer.PASSWORD, device);
            assertEquals(303, known.status(), "the operator's browser passes, whichever instance issued its cookie");
            RawHttp.Answer cleared = second().pageLogin("127.0.3.43", "approver", TestServer.PASSWORD, null);
            assertEquals(303, cleared.status(), "a sign-in clears the account's failures on every instance");
        }
    }

    @Test
    void anEnrollmentBegunOnOneInstanceCompletesOnTheOther() throws Exception {
        MachineIdentity id = MachineIdentity.provision(tpm(), IdentityConfig.defaults()
                .withHandles(IdentityConfig.DEFAULT_STORAGE_ROOT, 0x81000300, 0x81000301));
        TpmStation onFirst = new TpmStation(id, first().stations, "lb-laptop");
        TpmStation onSecond = new TpmStation(id, second().stations, "lb-laptop");
        HttpResponse<String> begun = onFirst.enroll(onFirst.enrollmentBody());
        assertEquals(201, begun.statusCode(), begun.body());
        onSecond.machineId = onFirst.machineId;
        HttpResponse<String> activated = onSecond.activate(TestServer.json(begun));
        assertEquals(200, activated.statusCode(), activated.body());
        HttpResponse<String> approved = first().as(Role.ADMIN, "POST", "/api/v1/admin/machines/" + onFirst.machineId
                + "/approve", "{\"reason\":\"verified EK, second instance\"}");
        assertEquals(200, approved.statusCode(), approved.body());
        HttpResponse<String> nonce = onFirst.signed("POST", "/api/v1/attestation/nonces", "{}");
        String n = TestServer.json(nonce).path("nonce").asText();
        HttpResponse<String> quote = onSecond.signed("POST", "/api/v1/attestation/quotes",
                onSecond.quoteJson(TpmStation.d(n), n).toString());
        assertEquals(200, quote.statusCode(), quote.body());
        assertEquals(200, onFirst.signed("GET", "/api/v1/stations/me", null).statusCode());
        var chain = TestServer.json(second().as(Role.AUDITOR, "GET", "/api/v1/admin/audit/verify", null));
        assertTrue(chain.path("intact").asBoolean(), chain.toString());
    }

    /**
     * An enrollment whose answer was lost, retried through the other instance (docs/design.md, "Enrollment retry"):
     * the same answer; and the same signed enrollment sent to both instances at once leaves one enrollment.
     */
    @Test
    void anEnrollmentRetriedOnTheOtherInstanceGetsTheSameAnswerAndOnlyOneIsCreated() throws Exception {
        MachineIdentity id = MachineIdentity.provision(tpm(), IdentityConfig.defaults()
                .withHandles(IdentityConfig.DEFAULT_STORAGE_ROOT, 0x81000320, 0x81000321));
        TpmStation onFirst = new TpmStation(id, first().stations, "lb-retry");
        TpmStation onSecond = new TpmStation(id, second().stations, "lb-retry");
        com.fasterxml.jackson.databind.node.ObjectNode body = onFirst.enrollmentBody();
        body.put("enrollmentToken", enrollmentToken());
        HttpResponse<String> begun = onFirst.enrollSigned(body);
        assertEquals(201, begun.statusCode(), begun.body());
        HttpResponse<String> retried = onSecond.enrollSigned(body);
        assertEquals(200, retried.statusCode(), retried.body());
        for (String f : List.of("machineId", "credentialBlob", "encryptedSecret", "quoteNonce")) {
            assertEquals(TestServer.json(begun).path(f), TestServer.json(retried).path(f), f);
        }
        assertEquals(200, onSecond.activate(TestServer.json(retried)).statusCode(), "activated with the repeated answer");

        MachineIdentity id2 = MachineIdentity.provision(tpm(), IdentityConfig.defaults()
                .withHandles(IdentityConfig.DEFAULT_STORAGE_ROOT, 0x81000322, 0x81000323));
        TpmStation burst = new TpmStation(id2, first().stations, "lb-retry-burst");
        com.fasterxml.jackson.databind.node.ObjectNode body2 = burst.enrollmentBody();
        body2.put("enrollmentToken", enrollmentToken());
        String text = body2.toString();
        String toFirst = burst.enrollmentSignature(text);
        String toSecond = burst.enrollmentSignature(text);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<HttpResponse<String>> a = pool.submit(() -> first().stations.sendRaw("POST", "/api/v1/enrollments", text,
                    toFirst));
            Future<HttpResponse<String>> b = pool.submit(() -> second().stations.sendRaw("POST", "/api/v1/enrollments", text,
                    toSecond));
            HttpResponse<String> ra = a.get();
            HttpResponse<String> rb = b.get();
            assertEquals(java.util.Set.of(200, 201), java.util.Set.of(ra.statusCode(), rb.statusCode()),
                    ra.body() + " / " + rb.body());
            assertEquals(TestServer.json(ra).path("machineId"), TestServer.json(rb).path("machineId"));
        } finally {
            pool.shutdownNow();
        }
        int created = first().db.withConnection(c -> Sql.one(c, "SELECT COUNT(*) FROM machines WHERE name = ?",
                rs -> rs.getInt(1), "lb-retry-burst").orElseThrow());
        assertEquals(1, created, "one enrollment for one token");
    }

    private String enrollmentToken() {
        return TestServer.json(first().as(Role.ADMIN, "POST", "/api/v1/admin/enrollment-tokens",
                "{\"note\":\"load-balanced retry\"}")).path("token").asText();
    }

    @Test
    void anAttestationNonceReplayedAcrossInstancesIsRefused() {
        SoftwareStation s = new SoftwareStation();
        String id = first().seedMachine(s, EnrollmentState.ACTIVE, true);
        String quote = quote(first(), s, id);
        assertEquals(200, first().stations.send("POST", "/api/v1/attestation/quotes", quote, id,
                StationClient.jcaSigner(s.machineKey())).statusCode());
        HttpResponse<String> replay = second().stations.send("POST", "/api/v1/attestation/quotes", quote, id,
                StationClient.jcaSigner(s.machineKey()));
        assertEquals("nonce_invalid", TestServer.errorCode(replay), replay.body());
    }

    @Test
    void aSignedRequestReplayedAcrossInstancesIsRefused() {
        SoftwareStation s = new SoftwareStation();
        String id = first().seedMachine(s, EnrollmentState.ACTIVE, true);
        String header = StationClient.header(id, StationClient.payload("GET", "/api/v1/stations/me", new byte[0],
                System.currentTimeMillis() / 1000, StationClient.randomNonce()), StationClient.jcaSigner(s.machineKey()));
        assertEquals(200, first().stations.sendRaw("GET", "/api/v1/stations/me", null, header).statusCode());
        assertEquals("request_replayed", TestServer.errorCode(second().stations.sendRaw("GET", "/api/v1/stations/me",
                null, header)));
    }

    @Test
    void oneNonceSubmittedToBothInstancesAtOnceIsAcceptedExactlyOnce() throws Exception {
        SoftwareStation s = new SoftwareStation();
        String id = first().seedMachine(s, EnrollmentState.ACTIVE, true);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            for (int round = 0; round < 5; round++) {
                String quote = quote(first(), s, id);
                List<Future<Integer>> results = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    TestServer target = i % 2 == 0 ? first() : second();
                    results.add(pool.submit(() -> target.stations.send("POST", "/api/v1/attestation/quotes", quote, id,
                            StationClient.jcaSigner(s.machineKey())).statusCode()));
                }
                int accepted = 0;
                for (Future<Integer> f : results) if (f.get() == 200) accepted++;
                assertEquals(1, accepted, "round " + round);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void oneUnsignedQuoteSentToBothInstancesAtOnceIsAcceptedOnceAndTheReplaysRecordNothing() throws Exception {
        SoftwareStation s = new SoftwareStation();
        String id = first().seedMachine(s, EnrollmentState.ACTIVE, true);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            for (int round = 0; round < 3; round++) {
                int recorded = history(id);
                HttpResponse<String> n = second().stations.sendRaw("POST", "/api/v1/attestation/nonces",
                        "{\"purpose\":\"quote\",\"machineId\":\"" + id + "\"}", null);
                assertEquals(201, n.statusCode(), n.body());
                String nonce = TestServer.json(n).path("nonce").asText();
                var body = (com.fasterxml.jackson.databind.node.ObjectNode) TestServer.JSON.readTree(quoteFor(s, nonce));
                String quote = body.put("machineId", id).toString();
                List<Future<HttpResponse<String>>> results = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    TestServer target = i % 2 == 0 ? first() : second();
                    results.add(pool.submit(() -> target.stations.sendRaw("POST", "/api/v1/attestation/quotes", quote,
                            null)));
                }
                int accepted = 0;
                for (Future<HttpResponse<String>> f : results) {
                    HttpResponse<String> r = f.get();
                    if (r.statusCode() == 200) {
                        accepted++;
                    } else {
                        assertEquals("nonce_invalid", TestServer.errorCode(r), r.body());
                    }
                }
                assertEquals(1, accepted, "round " + round);
                assertEquals(recorded + 1, history(id), "only the accepted attempt is in the machine's history");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private int history(String id) {
        return TestServer.json(second().as(Role.AUDITOR, "GET", "/api/v1/admin/machines/" + id + "/attestations", null))
                .path("history").size();
    }

    @Test
    void everyOperatorReadAndDecisionWorksOnThisDatabase() {
        SoftwareStation s = new SoftwareStation();
        String pending = first().seedMachine(s, EnrollmentState.PENDING_APPROVAL, false);
        String active = first().seedMachine(new SoftwareStation(), EnrollmentState.ACTIVE, true);
        for (String path : new String[] {"/api/v1/admin/enrollments", "/api/v1/admin/enrollments?state=ACTIVE",
                "/api/v1/admin/machines", "/api/v1/admin/machines/" + active, "/api/v1/admin/machines/" + active
                + "/attestations", "/api/v1/admin/enrollment-tokens", "/api/v1/admin/audit?limit=5",
                "/api/v1/admin/audit/verify", "/api/v1/admin/users"}) {
            HttpResponse<String> r = second().as(Role.ADMIN, "GET", path, null);
            assertEquals(200, r.statusCode(), path + " -> " + r.body());
        }
        var token = TestServer.json(second().as(Role.ADMIN, "POST", "/api/v1/admin/enrollment-tokens",
                "{\"note\":\"pg\",\"ttlSeconds\":600}"));
        assertEquals(200, first().as(Role.ADMIN, "POST", "/api/v1/admin/enrollment-tokens/" + token.path("id").asText()
                + "/expire", "{\"reason\":\"not needed\"}").statusCode());
        assertEquals(201, first().as(Role.ADMIN, "POST", "/api/v1/admin/users", "{\"username\":\"op-"
                + pending.substring(0, 6) + "\",\"password\":\"a long enough password\",\"role\":\"auditor\"}")
                .statusCode());
        assertEquals(201, first().as(Role.ADMIN, "POST", "/api/v1/admin/api-tokens", "{\"username\":\"auditor\"}")
                .statusCode());
        assertEquals(200, second().as(Role.ADMIN, "PUT", "/api/v1/admin/machines/" + active + "/golden-pcrs",
                "{\"pcrs\":{\"7\":\"" + "00".repeat(32) + "\"},\"reason\":\"secure boot db update\"}").statusCode());
        assertEquals(200, first().as(Role.ADMIN, "POST", "/api/v1/admin/machines/" + pending + "/reject",
                "{\"reason\":\"unknown laptop\"}").statusCode());
        assertEquals(200, second().as(Role.ADMIN, "POST", "/api/v1/admin/machines/" + active + "/revoke",
                "{\"reason\":\"decommissioned\"}").statusCode());
        var chain = TestServer.json(first().as(Role.AUDITOR, "GET", "/api/v1/admin/audit/verify", null));
        assertTrue(chain.path("intact").asBoolean(), chain.toString());
    }

    static String quote(TestServer server, SoftwareStation s, String id) {
        HttpResponse<String> n = server.stations.send("POST", "/api/v1/attestation/nonces", "{}", id,
                StationClient.jcaSigner(s.machineKey()));
        assertEquals(201, n.statusCode(), n.body());
        return quoteFor(s, TestServer.json(n).path("nonce").asText());
    }

    static String quoteFor(SoftwareStation s, String nonce) {
        byte[][] q = s.quote(java.util.Base64.getDecoder().decode(nonce));
        var body = TestServer.JSON.createObjectNode();
        body.put("nonce", nonce);
        body.put("attest", java.util.Base64.getEncoder().encodeToString(q[0]));
        body.put("signature", java.util.Base64.getEncoder().encodeToString(q[1]));
        var pcrs = body.putObject("pcrs");
        s.pcrsWire().forEach(pcrs::put);
        return body.toString();
    }

}
