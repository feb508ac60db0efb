package org.stationtrust.server.internal.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stationtrust.protocol.EnrollmentState;
import org.stationtrust.server.testing.RawHttp;
import org.stationtrust.server.testing.SoftwareStation;
import org.stationtrust.server.testing.StationClient;
import org.stationtrust.server.testing.TestServer;

/** Login, enrollment and nonce requests are rate-limited; the bucket refills over time. */
class RateLimitTest {
    @TempDir
    Path dir;

    @Test
    void aBucketRefusesWhenEmptyAndRefillsWithTime() {
        RateLimiter limiter = new RateLimiter(2);
        long t = 0;
        assertTrue(limiter.tryAcquire("a", t));
        assertTrue(limiter.tryAcquire("a", t));
        assertFalse(limiter.tryAcquire("a", t));
        assertTrue(limiter.tryAcquire("b", t), "buckets are per client");
        assertTrue(limiter.tryAcquire("a", t + 30_000_000_000L), "one token back after half a minute at 2/min");
    }

    @Test
    void loginEnrollmentAndNonceEndpointsAnswer429WhenTheLimitIsExceeded() throws Exception {
        try (TestServer server = TestServer.start(dir, b -> b.rateLimits(2, 2, 2))) {
            int[] login = new int[3];
            for (int i = 0; i < 3; i++) {
                login[i] = server.login(server.http, "x", "wrong password").statusCode();
            }
            assertEquals(401, login[1]);
            assertEquals(429, login[2]);
            for (int i = 0; i < 2; i++) server.request("POST", "/api/v1/enrollments", "{}", null);
            assertEquals("rate_limited", TestServer.errorCode(server.request("POST", "/api/v1/enrollments", "{}", null)));
            SoftwareStation s = new SoftwareStation();
            String id = server.seedMachine(s, EnrollmentState.ACTIVE, true);
            for (int i = 0; i < 2; i++) {
                assertEquals(201, server.stations.send("POST", "/api/v1/attestation/nonces", "{}", id,
                        StationClient.jcaSigner(s.machineKey())).statusCode());
            }
            HttpResponse<String> third = server.stations.send("POST", "/api/v1/attestation/nonces", "{}", id,
                    StationClient.jcaSigner(s.machineKey()));
            assertEquals(429, third.statusCode());
            assertEquals("rate_limited", TestServer.errorCode(third));
            for (int i = 0; i < 5; i++) {
                server.stations.send("POST", "/api/v1/attestation/nonces", "{}", id, StationClient.jcaSigner(s.machineKey()));
            }
            String audit = server.as(org.stationtrust.server.Role.AUDITOR, "GET", "/api/v1/admin/audit?limit=1000", null)
                    .body();
            assertEquals(1, audit.split("machine:" + id).length - 1, "a flood of refusals is audited once per minute");
        }
    }

    @Test
    void everyRateLimitedRouteWithATrailingSlashOrAnotherSpellingIsRefusedAndCreatesNothing() throws Exception {
        try (TestServer server = TestServer.start(dir, b -> b.rateLimits(2, 2, 2))) {
            int port = server.server.port();
            // The router forgives a trailing slash; the rate limits compare the path as sent. Each spelling is
            // tried more often than its limit allows.
            String[] spellings = {"/api/v1/enrollments/", "/api/v1/enrollments/0123abcd/activation/",
                    "/api/v1/attestation/nonces/", "/api/v1/attestation/quotes/", "/admin/login/", "/reset-password/",
                    "/api/v1/password-resets/", "//api/v1/enrollments", "/api/v1//enrollments",
                    "/api/v1/%65nrollments", "/api/v1/enrollments;x", "/api/v1/x/../enrollments"};
            for (String path : spellings) {
                for (int i = 0; i < 4; i++) {
                    RawHttp.Answer a = RawHttp.exchange("127.0.0.5", port, "POST", path,
                            "Content-Type: application/json\r\n", "{}");
                    // Jetty itself may refuse a dot segment (400) before the gate sees it
                    boolean jettyRefused = path.contains("..") && a.status() == 400;
                    assertTrue(jettyRefused || a.status() == 404 && a.errorCode().equals("not_found"),
                            "before any route or limit: " + path + " answered " + a.status() + " " + a.body());
                }
            }
            long machines = server.db.withConnection(c -> {
                try (var rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM machines")) {
                    rs.next();
                    return rs.getLong(1);
                }
            });
            assertEquals(0, machines, "no spelling reached the enrollment route");
            assertEquals("rate_limited", TestServer.errorCode(postTimes(server, "/api/v1/enrollments", 3)),
                    "the canonical path is served and limited as before");
        }
    }

    @Test
    void failedQuoteChecksFromOneAddressAreLimitedWhileTheStationsOwnAttestationsPass() throws Exception {
        try (TestServer server = TestServer.start(dir, b -> b.clientLimits(org.stationtrust.server.ClientLimits.builder()
                .failedChecksPerMinute(3).build()))) {
            SoftwareStation s = new SoftwareStation();
            String id = server.seedMachine(s, EnrollmentState.ACTIVE, true);
            String nonce = TestServer.json(server.stations.sendRaw("POST", "/api/v1/attestation/nonces",
                    "{\"purpose\":\"quote\",\"machineId\":\"" + id + "\"}", null)).path("nonce").asText();
            String quote = s.quoteBody(nonce).replaceFirst("\\{", "{\"machineId\":\"" + id + "\",");
            assertEquals(200, server.stations.sendRaw("POST", "/api/v1/attestation/quotes", quote, null).statusCode());
            // the same quote again from another address: verified each time, then found over a spent nonce
            java.util.List<String> answers = new java.util.ArrayList<>();
            for (int i = 0; i < 6; i++) {
                RawHttp.Answer a = RawHttp.exchange("127.0.7.1", server.server.port(), "POST",
                        "/api/v1/attestation/quotes", "Content-Type: application/json\r\n", quote);
                answers.add(a.status() + " " + a.errorCode());
            }
            System.out.println("a spent quote replayed 6 times from one address (3 failures a minute): " + answers);
            assertEquals(java.util.List.of("403 nonce_invalid", "403 nonce_invalid", "403 nonce_invalid",
                    "429 rate_limited", "429 rate_limited", "429 rate_limited"), answers);
            for (int i = 0; i < 3; i++) {
                HttpResponse<String> n = server.stations.send("POST", "/api/v1/attestation/nonces", "{}", id,
                        StationClient.jcaSigner(s.machineKey()));
                HttpResponse<String> q = server.stations.send("POST", "/api/v1/attestation/quotes",
                        s.quoteBody(TestServer.json(n).path("nonce").asText()), id, StationClient.jcaSigner(s.machineKey()));
                assertEquals(200, q.statusCode(), "the station's own attestations pass: " + q.body());
            }
        }
    }

    private static HttpResponse<String> postTimes(TestServer server, String path, int times) {
        HttpResponse<String> last = null;
        for (int i = 0; i < times; i++) last = server.request("POST", path, "{}", null);
        return last;
    }
}
