package org.stationtrust.server.internal.attest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.stationtrust.server.Role;
import org.stationtrust.server.testing.TestServer;
import org.stationtrust.testsupport.TestPostgres;

/**
 * An unchanged boot decided from one instance's memory while another instance on the same PostgreSQL changes what
 * that memory rests on (docs/design.md, "An unchanged boot"): a replayed quote, a revocation, a new policy and a new
 * accepted boot, each made through the other instance, are found in the attestation's transaction.
 */
class UnchangedBootAcrossInstancesTest {
    static TestPostgres postgres;
    static TestServer a;
    static TestServer b;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(TestPostgres.binaries() != null, "PostgreSQL not installed: apt-get install -y postgresql");
        postgres = TestPostgres.start();
        String url = postgres.createDatabase("unchanged");
        a = TestServer.start(url, "postgres", null, c -> c.rateLimits(1000, 1000, 1000));
        b = TestServer.second(url, "postgres", null, a.tokens, c -> c.rateLimits(1000, 1000, 1000));
        a.fleetBootPolicy();
    }

    @AfterAll
    static void stop() throws Exception {
        if (a != null) a.close();
        if (b != null) b.close();
        if (postgres != null) postgres.close();
    }

    /** A station that has passed twice at {@code a} with its digest, so {@code a} decides its next quote from memory. */
    private static DigestStation rememberedByA() {
        DigestStation s = new DigestStation(a);
        for (int i = 0; i < 2; i++) {
            HttpResponse<String> r = s.quoteAt(a);
            assertEquals(200, r.statusCode(), r.body());
        }
        return s;
    }

    @Test
    void aQuoteAcceptedByOneInstanceIsRefusedByBothWhenReplayed() {
        DigestStation s = rememberedByA();
        String body = s.quoteBody(s.nonce(a));
        assertEquals(200, DigestStation.send(a, body).statusCode());
        int history = s.history();
        HttpResponse<String> atB = DigestStation.send(b, body);
        assertEquals("nonce_invalid", TestServer.errorCode(atB), atB.body());
        HttpResponse<String> atA = DigestStation.send(a, body);
        assertEquals("nonce_invalid", TestServer.errorCode(atA), atA.body());
        assertEquals(history, s.history(), "a replay records nothing");
    }

    @Test
    void aRevocationThroughTheOtherInstanceIsHonouredAtOnce() {
        DigestStation s = rememberedByA();
        HttpResponse<String> revoked = b.as(Role.ADMIN, "POST", "/api/v1/admin/machines/" + s.id + "/revoke",
                "{\"reason\":\"laptop reported stolen\"}");
        assertEquals(200, revoked.statusCode(), revoked.body());
        int history = s.history();
        HttpResponse<String> r = s.quoteAt(a);
        assertEquals("machine_not_active", TestServer.errorCode(r), r.body());
        assertEquals(history, s.history());
    }

    @Test
    void aPolicyAssignedThroughTheOtherInstanceJudgesTheBootAgain() {
        DigestStation s = rememberedByA();
        assertEquals(200, b.as(Role.ADMIN, "PUT", "/api/v1/admin/boot-policies/dbx-update", "{\"name\": \"dbx-update\","
                + " \"requiredDbx\": [\"sha256:" + "ef".repeat(32) + "\"]}").statusCode());
        assertEquals(200, b.as(Role.ADMIN, "PUT", "/api/v1/admin/machines/" + s.id + "/boot-policy",
                "{\"policy\": \"dbx-update\", \"reason\": \"the new dbx must be on every laptop\"}").statusCode());
        HttpResponse<String> r = s.quoteAt(a);
        assertEquals("pcr_policy_violation", TestServer.errorCode(r), r.body());
    }

    @Test
    void aBootAcceptedSinceByTheOtherInstanceIsNotTakenFromMemory() {
        DigestStation s = rememberedByA();
        // as another instance would record a new accepted boot: the log a knows is no longer the accepted one
        b.db.write(c -> {
            try (var ps = c.prepareStatement("UPDATE machine_boot SET accepted_log_sha256 = ? WHERE machine_id = ?")) {
                ps.setString(1, "00".repeat(32));
                ps.setString(2, s.id);
                return ps.executeUpdate();
            }
        });
        int history = s.history();
        HttpResponse<String> r = s.quoteAt(a);
        assertEquals("event_log_required", TestServer.errorCode(r), r.body());
        assertEquals(history, s.history(), "a digest the server does not hold records nothing");
    }
}
