package org.stationtrust.server.internal.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.stationtrust.server.Role;
import org.stationtrust.server.internal.audit.AuditLog;
import org.stationtrust.server.testing.SoftwareEnrollee;
import org.stationtrust.server.testing.TestServer;
import org.stationtrust.testsupport.TestPostgres;

/**
 * PostgreSQL stopped and started again under two running server instances: while it is down both answer
 * {@code storage_unavailable} (503) and are not ready, never a 500 or a hang; once it is back both serve
 * again with no restart or manual step, and nothing acknowledged before is lost.
 */
class PostgresRestartTest {

    @Test
    void twoInstancesRecoverByThemselvesWhenPostgresComesBack() throws Exception {
        assumeTrue(TestPostgres.binaries() != null, "PostgreSQL is not installed (apt-get install -y postgresql)");
        try (TestPostgres pg = TestPostgres.start()) {
            String url = pg.createDatabase("restart");
            try (TestServer a = TestServer.start(url, "postgres", "", b -> b);
                 TestServer b = TestServer.second(url, "postgres", "", a.tokens, x -> x)) {
                SoftwareEnrollee s = new SoftwareEnrollee("pg-restart");
                a.enrollAcross(b, s, "pg restart");
                assertEquals("PASSED", attest(a, b, s));

                pg.stop();
                assertEquals(503, ready(a), "not ready while the database is down");
                assertEquals(503, ready(b), "not ready while the database is down");
                HttpResponse<String> refused = b.signedBy(s, "POST", "/api/v1/attestation/nonces", "{\"purpose\":\"quote\"}");
                assertEquals(503, refused.statusCode(), refused.body());
                assertEquals("storage_unavailable", TestServer.errorCode(refused));
                pg.startAgain();

                for (TestServer t : new TestServer[] {a, b}) awaitReady(t);
                assertEquals("PASSED", attest(a, b, s), "nonce from one instance, quote to the other");
                assertEquals("PASSED", attest(b, a, s));
                SoftwareEnrollee after = new SoftwareEnrollee("pg-restart-after");
                b.enrollAcross(a, after, "pg restart");
                assertEquals("PASSED", attest(b, a, after));
                assertTrue(new AuditLog(a.db).verify().intact(), "audit chain after the restart");
                assertEquals("ACTIVE", TestServer.json(a.as(Role.AUDITOR, "GET", "/api/v1/admin/machines/" + s.machineId, null))
                        .path("state").asText(), "the machine enrolled before the restart is still there");
            }
        }
    }

    private static String attest(TestServer nonceFrom, TestServer quoteTo, SoftwareEnrollee s) {
        HttpResponse<String> n = nonceFrom.signedBy(s, "POST", "/api/v1/attestation/nonces", "{\"purpose\":\"quote\"}");
        assertEquals(201, n.statusCode(), n.body());
        HttpResponse<String> q = quoteTo.signedBy(s, "POST", "/api/v1/attestation/quotes",
                s.quoteJson(TestServer.json(n).path("nonce").asText()).toString());
        assertEquals(200, q.statusCode(), q.body());
        return TestServer.json(q).path("result").asText();
    }

    private static int ready(TestServer t) throws Exception {
        return t.http.send(HttpRequest.newBuilder(URI.create(t.url("/ready"))).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private static void awaitReady(TestServer t) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (ready(t) != 200) {
            if (System.nanoTime() > deadline) throw new AssertionError("instance did not recover by itself within 60 s");
            Thread.sleep(200);
        }
    }
}
