package org.stationtrust.server.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.stationtrust.server.Role;
import org.stationtrust.server.internal.audit.AuditChainReport;
import org.stationtrust.server.internal.audit.AuditLog;
import org.stationtrust.server.testing.SoftwareEnrollee;
import org.stationtrust.server.testing.StationClient;
import org.stationtrust.server.testing.TestServer;
import org.stationtrust.testsupport.TestPostgres;

/**
 * Many software stations enroll (enroll, activate, approval, attest) against two server instances on one
 * PostgreSQL, every step of a station alternating between the instances. Checks: no enrollment lost or
 * duplicated, every nonce accepted at most once (each quote is replayed at the other instance), the audit
 * chain intact; prints counts, throughput and p50/p99 latencies. Bounded: {@code -Dload.stations=N}
 * (default 2000, about a minute on 2 cores; see docs/reliability.md), 16 concurrent stations, loopback only.
 */
class TwoInstanceLoadTest {
    private static final int STATIONS = Integer.getInteger("load.stations", 2000);
    private static final int CONCURRENCY = Integer.getInteger("load.concurrency", 16);
    private static final Duration LIMIT = Duration.ofSeconds(Long.getLong("load.seconds", 600));
    private final Map<String, ConcurrentLinkedQueue<Long>> latencies = new ConcurrentHashMap<>();

    @Test
    void manyStationsEnrollAndAttestAcrossTwoInstancesWithNothingLostOrAcceptedTwice() throws Exception {
        assumeTrue(TestPostgres.binaries() != null, "PostgreSQL is not installed (apt-get install -y postgresql)");
        try (TestPostgres pg = TestPostgres.start()) {
            String url = pg.createDatabase("load");
            try (TestServer a = TestServer.start(url, "postgres", "", b -> b.rateLimits(1_000_000, 1_000_000, 1_000_000)
                    .clientLimits(TestServer.UNLIMITED_CLIENTS));
                 TestServer b = TestServer.second(url, "postgres", "", a.tokens, x -> x.rateLimits(1_000_000, 1_000_000, 1_000_000)
                         .clientLimits(TestServer.UNLIMITED_CLIENTS))) {
                run(a, b);
            }
        }
    }

    private void run(TestServer a, TestServer b) throws Exception {
        List<SoftwareEnrollee> stations = new ArrayList<>();
        for (int i = 0; i < STATIONS; i++) stations.add(new SoftwareEnrollee("load-" + i));
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        Map<String, String> lastQuote = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(CONCURRENCY);
        long start = System.nanoTime();
        List<Future<?>> done = new ArrayList<>();
        for (int i = 0; i < STATIONS; i++) {
            SoftwareEnrollee s = stations.get(i);
            TestServer first = i % 2 == 0 ? a : b;
            TestServer other = first == a ? b : a;
            done.add(pool.submit(() -> {
                try {
                    lastQuote.put(s.name(), station(s, first, other));
                } catch (AssertionError | RuntimeException e) {
                    failures.add(s.name() + ": " + e.getMessage());
                }
            }));
        }
        pool.shutdown();
        assertTrue(pool.awaitTermination(LIMIT.toSeconds(), TimeUnit.SECONDS), "load run exceeded " + LIMIT);
        for (Future<?> f : done) f.get();
        double seconds = (System.nanoTime() - start) / 1e9;
        assertEquals(List.of(), failures.subList(0, Math.min(10, failures.size())), failures.size() + " stations failed");

        // Every quote replayed at the other instance: its nonce was consumed and must never be accepted again.
        int replaysAccepted = 0;
        for (int i = 0; i < STATIONS; i++) {
            SoftwareEnrollee s = stations.get(i);
            TestServer other = i % 2 == 0 ? a : b;
            HttpResponse<String> r = other.stations.send("POST", "/api/v1/attestation/quotes", lastQuote.get(s.name()), s.machineId,
                    StationClient.jcaSigner(s.machineKey()));
            if (r.statusCode() == 200 || !"nonce_invalid".equals(TestServer.errorCode(r))) replaysAccepted++;
        }

        long machines = count(a, "SELECT COUNT(*) FROM machines");
        long distinctNames = count(a, "SELECT COUNT(DISTINCT name) FROM machines");
        long active = count(a, "SELECT COUNT(*) FROM machines WHERE state = 'ACTIVE'");
        long passed = count(a, "SELECT COUNT(*) FROM attestations WHERE outcome = 'PASSED'");
        long consumed = count(a, "SELECT COUNT(*) FROM attestation_nonces WHERE consumed_at IS NOT NULL");
        AuditChainReport audit = new AuditLog(a.db).verify();

        StringBuilder report = new StringBuilder();
        report.append(String.format("=== load: %d stations, 2 instances, PostgreSQL, %d concurrent ===%n", STATIONS, CONCURRENCY));
        report.append(String.format("wall time %.1f s, %.1f stations/s, %.0f requests/s%n", seconds, STATIONS / seconds,
                latencies.values().stream().mapToInt(ConcurrentLinkedQueue::size).sum() / seconds));
        latencies.forEach((op, q) -> report.append(op).append(' ').append(percentiles(q)).append('\n'));
        List<Long> all = new ArrayList<>();
        latencies.values().forEach(all::addAll);
        report.append("all requests ").append(percentiles(all)).append('\n');
        report.append(String.format("machines %d (distinct names %d, ACTIVE %d), passing attestations %d, consumed nonces %d,"
                + " replays accepted %d, audit rows %d intact=%s%n", machines, distinctNames, active, passed, consumed,
                replaysAccepted, audit.rows(), audit.intact()));
        System.out.print(report);
        java.nio.file.Files.writeString(java.nio.file.Path.of("target", "load-" + STATIONS + ".txt"), report);

        assertEquals(STATIONS, machines, "an enrollment was lost or duplicated");
        assertEquals(STATIONS, distinctNames);
        assertEquals(STATIONS, active);
        assertEquals(STATIONS, passed);
        assertEquals(STATIONS, consumed, "one consumed nonce per accepted quote");
        assertEquals(0, replaysAccepted, "a nonce was accepted twice");
        assertTrue(audit.intact(), audit.problems().toString());
        assertTrue(audit.rows() >= 2L * STATIONS, "approvals and enrollments are audited: " + audit.rows());
    }

    /** One station's life, alternating instances; returns its accepted quote body (for the replay check). */
    private String station(SoftwareEnrollee s, TestServer first, TestServer other) {
        JsonNode challenge = ok("enroll", 201, () -> first.stations.sendRaw("POST", "/api/v1/enrollments", s.enrollmentBody(), null));
        s.machineId = challenge.path("machineId").asText();
        ok("activate", 200, () -> other.stations.sendRaw("POST", "/api/v1/enrollments/" + s.machineId + "/activation",
                s.activationBody(challenge), null));
        ok("approve", 200, () -> first.as(Role.ADMIN, "POST", "/api/v1/admin/machines/" + s.machineId + "/approve",
                "{\"reason\":\"load test\"}"));
        JsonNode nonce = ok("nonce", 201, () -> other.stations.send("POST", "/api/v1/attestation/nonces", "{\"purpose\":\"quote\"}",
                s.machineId, StationClient.jcaSigner(s.machineKey())));
        String quote = s.quoteJson(nonce.path("nonce").asText()).toString();
        JsonNode result = ok("quote", 200, () -> first.stations.send("POST", "/api/v1/attestation/quotes", quote, s.machineId,
                StationClient.jcaSigner(s.machineKey())));
        assertEquals("PASSED", result.path("result").asText(), result.toString());
        return quote;
    }

    private JsonNode ok(String op, int status, Supplier<HttpResponse<String>> call) {
        long t = System.nanoTime();
        HttpResponse<String> r = call.get();
        latencies.computeIfAbsent(op, k -> new ConcurrentLinkedQueue<>()).add(System.nanoTime() - t);
        if (r.statusCode() != status) throw new AssertionError(op + " -> " + r.statusCode() + " " + r.body());
        return TestServer.json(r);
    }

    private static String percentiles(java.util.Collection<Long> nanos) {
        long[] v = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
        if (v.length == 0) return "n=0";
        return String.format("n=%d p50=%.1f ms p99=%.1f ms max=%.1f ms", v.length, v[v.length / 2] / 1e6,
                v[(int) Math.min(v.length - 1, Math.ceil(v.length * 0.99) - 1)] / 1e6, v[v.length - 1] / 1e6);
    }

    private static long count(TestServer s, String sql) {
        return s.db.withConnection(c -> {
            try (ResultSet rs = c.createStatement().executeQuery(sql)) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }
}
