package org.stationtrust.server.internal.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stationtrust.bench.PrometheusText;
import org.stationtrust.protocol.EnrollmentState;
import org.stationtrust.server.Role;
import org.stationtrust.server.testing.SoftwareStation;
import org.stationtrust.server.testing.TestServer;

/** {@code /metrics} over real HTTP, scraped and parsed strictly, after real attestations and refusals. */
class MetricsEndpointTest {
    private static final String SCRAPE_TOKEN = "scrape-token-0123456789-abcdefghijklmnop";
    /** Label values that would mean an unbounded series count: ids and addresses. */
    private static final Pattern UNBOUNDED = Pattern.compile("[0-9a-f]{16,}|\\d+\\.\\d+\\.\\d+\\.\\d+");

    @TempDir
    Path dir;
    private TestServer server;
    private final SoftwareStation station = new SoftwareStation();
    private String id;

    @BeforeEach
    void start() {
        server = TestServer.start(dir, b -> b.metricsToken(SCRAPE_TOKEN.toCharArray()).rateLimits(10, 1, 60));
        id = server.seedMachine(station, EnrollmentState.ACTIVE, true);
        server.seedMachine(new SoftwareStation(), EnrollmentState.PENDING_APPROVAL, false);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private PrometheusText scrape(String bearer) {
        HttpResponse<String> r = server.request("GET", "/metrics", null, bearer);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("text/plain; version=0.0.4; charset=utf-8", r.headers().firstValue("Content-Type").orElseThrow());
        return PrometheusText.parse(r.body());
    }

    private HttpResponse<String> quote(String nonce) {
        return server.stations.send("POST", "/api/v1/attestation/quotes", station.quoteBody(nonce), id,
                station::signWithMachineKey);
    }

    private String nonce() {
        HttpResponse<String> r = server.stations.send("POST", "/api/v1/attestation/nonces", "{\"purpose\":\"quote\"}",
                id, station::signWithMachineKey);
        assertEquals(201, r.statusCode(), r.body());
        return TestServer.json(r).path("nonce").asText();
    }

    @Test
    void countsAttestationsByResultAndReasonWithALatencyHistogram() {
        assertEquals(200, quote(nonce()).statusCode());
        String spent = nonce();
        assertEquals(200, quote(spent).statusCode());
        HttpResponse<String> replay = quote(spent);
        assertEquals("nonce_invalid", TestServer.errorCode(replay));

        PrometheusText m = scrape(SCRAPE_TOKEN);
        assertEquals(2.0, m.value("stationtrust_attestation_attempts_total", Map.of("result", "passed", "reason", "none")));
        assertEquals(1.0, m.value("stationtrust_attestation_attempts_total",
                Map.of("result", "failed", "reason", "nonce_invalid")));
        assertEquals(3.0, m.value("stationtrust_attestation_verify_seconds_count", Map.of()));
        assertEquals(3.0, m.value("stationtrust_attestation_verify_seconds_bucket", Map.of("le", "+Inf")));
        assertEquals("histogram", m.family("stationtrust_attestation_verify_seconds").orElseThrow().type());
        assertTrue(m.value("stationtrust_db_group_commit_batch_size_count", Map.of()) >= 3);
        assertTrue(m.value("stationtrust_http_refused_requests_total", Map.of("code", "nonce_invalid")) >= 1);
        assertTrue(m.value("jetty_server_requests_seconds_count", Map.of("method", "POST", "status", "200",
                "outcome", "SUCCESS")) >= 2, "Jetty 12 request timings (Micrometer's TimedHandler)");
    }

    @Test
    void reportsTheFleetByStateAndThePendingApprovals() {
        PrometheusText m = scrape(SCRAPE_TOKEN);
        assertEquals(1.0, m.value("stationtrust_machines", Map.of("state", "active")));
        assertEquals(1.0, m.value("stationtrust_machines", Map.of("state", "pending_approval")));
        assertEquals(0.0, m.value("stationtrust_machines", Map.of("state", "revoked")));
        assertEquals(1.0, m.value("stationtrust_machines_pending_approval", Map.of()));
        assertEquals(1.0, m.value("stationtrust_machines_active_attestation", Map.of("status", "ok")));
        assertEquals(0.0, m.value("stationtrust_machines_overdue", Map.of()));
        assertTrue(m.value("hikaricp_connections_max", Map.of("pool", "server-enroll")) >= 1,
                "the database pool's own meters are exported");
    }

    @Test
    void countsEnrollmentResultsAndRateLimitHits() {
        // The enroll limit is 1 per minute here: the first malformed request is refused as such by the route, the
        // second by the limit, which the request gate checks before the route runs (and counts the same way).
        HttpResponse<String> malformed = server.request("POST", "/api/v1/enrollments", "{}", null);
        assertEquals(400, malformed.statusCode());
        assertEquals(429, server.request("POST", "/api/v1/enrollments", "{}", null).statusCode());
        PrometheusText m = scrape(SCRAPE_TOKEN);
        assertEquals(1.0, m.value("stationtrust_rate_limit_hits_total", Map.of("limit", "enroll")));
        assertEquals(1.0, m.value("stationtrust_enrollment_attempts_total", Map.of("step", "begin",
                "result", TestServer.errorCode(malformed))));
        assertEquals(1.0, m.value("stationtrust_enrollment_attempts_total", Map.of("step", "begin",
                "result", "rate_limited")), "the gate's refusal counts as an enrollment result too");
        assertEquals(1.0, m.value("stationtrust_http_refused_requests_total", Map.of("code", "rate_limited")));
    }

    @Test
    void neverLabelsASeriesWithAMachineIdOrAnAddress() {
        quote(nonce());
        server.request("POST", "/api/v1/enrollments", "{}", null);
        String text = server.request("GET", "/metrics", null, SCRAPE_TOKEN).body();
        assertFalse(text.contains(id), "a machine id appears in the metrics");
        for (PrometheusText.Family f : PrometheusText.parse(text).families().values()) {
            for (PrometheusText.Sample s : f.samples()) {
                for (String v : s.labels().values()) {
                    assertFalse(UNBOUNDED.matcher(v).find(), s.name() + " has an unbounded label value " + v);
                }
            }
        }
    }

    @Test
    void admitsTheScrapeTokenAndOperatorTokensAndRefusesEveryoneElse() {
        scrape(server.tokens.get(Role.AUDITOR));
        scrape(server.tokens.get(Role.ADMIN));
        HttpResponse<String> anonymous = server.request("GET", "/metrics", null, null);
        assertEquals(401, anonymous.statusCode());
        assertEquals("unauthenticated", TestServer.errorCode(anonymous));
        HttpResponse<String> wrong = server.request("GET", "/metrics", null, SCRAPE_TOKEN + "x");
        assertEquals(401, wrong.statusCode());
        assertTrue(Set.of(401).contains(server.request("GET", "/metrics", null, "sta_nonsense").statusCode()));
    }
}
