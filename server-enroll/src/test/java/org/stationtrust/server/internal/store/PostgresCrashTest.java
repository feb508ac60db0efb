package org.stationtrust.server.internal.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.stationtrust.server.internal.audit.AuditLog;
import org.stationtrust.server.testing.SoftwareEnrollee;
import org.stationtrust.server.testing.TestServer;
import org.stationtrust.testsupport.TestPostgres;

/**
 * PostgreSQL crashed (SIGKILL to the postmaster and all its processes, no shutdown checkpoint) while stations
 * attest in a loop against two server instances: during the outage every answer is 503
 * {@code storage_unavailable} (never another 5xx, never a hang), both instances report not ready; once PostgreSQL
 * has run crash recovery both serve again with no restart or manual step, every acknowledged attestation is
 * stored, every acknowledged nonce was used once, a new machine enrolls across the instances, and the audit
 * chain verifies. {@link PostgresRestartTest} covers the clean (fast) shutdown.
 */
class PostgresCrashTest {
    private static final int STATIONS = 4;

    @Test
    void twoInstancesRecoverByThemselvesAfterPostgresIsKilledAndLoseNothingAcknowledged() throws Exception {
        assumeTrue(TestPostgres.binaries() != null, "PostgreSQL is not installed (apt-get install -y postgresql)");
        try (TestPostgres pg = TestPostgres.start()) {
            String url = pg.createDatabase("crash");
            try (TestServer a = TestServer.start(url, "postgres", "", x -> x.rateLimits(1_000_000, 1_000_000, 1_000_000));
                 TestServer b = TestServer.second(url, "postgres", "", a.tokens, x -> x.rateLimits(1_000_000, 1_000_000, 1_000_000))) {
                List<SoftwareEnrollee> stations = new ArrayList<>();
                for (int i = 0; i < STATIONS; i++) {
                    SoftwareEnrollee s = new SoftwareEnrollee("pg-crash-" + i);
                    (i % 2 == 0 ? a : b).enrollAcross(i % 2 == 0 ? b : a, s, "pg crash");
                    stations.add(s);
                }
                Map<String, AtomicInteger> acknowledged = new ConcurrentHashMap<>();
                Map<String, Integer> answers = new ConcurrentHashMap<>(); // status (and error code) -> count
                Map<String, String> lastNonce = new ConcurrentHashMap<>();
                AtomicBoolean stop = new AtomicBoolean();
                ExecutorService pool = Executors.newFixedThreadPool(STATIONS);
                for (int i = 0; i < STATIONS; i++) {
                    SoftwareEnrollee s = stations.get(i);
                    acknowledged.put(s.machineId, new AtomicInteger());
                    boolean startAtA = i % 2 == 0;
                    pool.submit(() -> {
                        boolean flip = startAtA;
                        while (!stop.get()) {
                            if (!attestOnce(flip ? a : b, flip ? b : a, s, acknowledged.get(s.machineId), answers, lastNonce)) {
                                Thread.sleep(50); // refused during the outage: pace the retries
                            }
                            flip = !flip;
                        }
                        return null;
                    });
                }
                await("two acknowledged attestations per station", 120,
                        () -> acknowledged.values().stream().allMatch(n -> n.get() >= 2));

                int killed = pg.crash();
                int atCrash = total(acknowledged);
                await("both instances to report not ready", 60, () -> ready(a) == 503 && ready(b) == 503);
                await("stations to be refused during the outage", 60, () -> answers.getOrDefault("503 storage_unavailable", 0) >= 2 * STATIONS);
                int refusedDuringOutage = answers.getOrDefault("503 storage_unavailable", 0);
                long down = System.nanoTime();
                pg.startAgain();
                await("instance A to recover by itself", 120, () -> ready(a) == 200);
                await("instance B to recover by itself", 120, () -> ready(b) == 200);
                double outageSeconds = (System.nanoTime() - down) / 1e9;
                assertTrue(pg.log().contains("automatic recovery in progress"), "PostgreSQL ran crash recovery (it was not shut down)");
                Map<String, Integer> atRecovery = new TreeMap<>();
                acknowledged.forEach((m, n) -> atRecovery.put(m, n.get()));
                await("every station to attest again at both instances", 120,
                        () -> acknowledged.entrySet().stream().allMatch(e -> e.getValue().get() >= atRecovery.get(e.getKey()) + 2));
                stop.set(true);
                pool.shutdown();
                assertTrue(pool.awaitTermination(120, TimeUnit.SECONDS), "the stations' loops ended");

                System.out.printf("PostgreSQL crash: %d processes killed; %d attestations acknowledged before, %d after;"
                        + " %d answers 503 storage_unavailable during the outage; recovered %.1f s after the restart began;"
                        + " answers by status %s%n", killed, atCrash, total(acknowledged) - atCrash, refusedDuringOutage,
                        outageSeconds, new TreeMap<>(answers));
                for (String status : answers.keySet()) {
                    assertTrue(status.startsWith("200") || status.startsWith("201") || status.equals("503 storage_unavailable"),
                            "only success or storage_unavailable, never another error: " + answers);
                }
                for (Map.Entry<String, AtomicInteger> e : acknowledged.entrySet()) {
                    long stored = count(a, "SELECT COUNT(*) FROM attestations WHERE outcome = 'PASSED' AND machine_id = '" + e.getKey() + "'");
                    assertTrue(stored >= e.getValue().get(), "acknowledged attestations of " + e.getKey() + " were lost: "
                            + stored + " stored, " + e.getValue().get() + " acknowledged");
                }
                for (SoftwareEnrollee s : stations) {
                    HttpResponse<String> replay = b.signedBy(s, "POST", "/api/v1/attestation/quotes", s.quoteJson(lastNonce.get(s.machineId)).toString());
                    assertTrue(replay.statusCode() >= 400 && replay.statusCode() < 500, "a used nonce is refused after the crash: " + replay.body());
                }
                SoftwareEnrollee after = new SoftwareEnrollee("pg-crash-after");
                b.enrollAcross(a, after, "pg crash");
                assertTrue(attestOnce(a, b, after, new AtomicInteger(), new ConcurrentHashMap<>(), new ConcurrentHashMap<>()));
                assertTrue(new AuditLog(a.db).verify().intact(), "audit chain after the crash");
            }
        }
    }

    /** One nonce and quote; counts answers; true (and counted) when both were acknowledged and the quote passed. */
    private static boolean attestOnce(TestServer nonceFrom, TestServer quoteTo, SoftwareEnrollee s, AtomicInteger acknowledged,
                                      Map<String, Integer> answers, Map<String, String> lastNonce) {
        HttpResponse<String> n = nonceFrom.signedBy(s, "POST", "/api/v1/attestation/nonces", "{\"purpose\":\"quote\"}");
        answers.merge(label(n), 1, Integer::sum);
        if (n.statusCode() != 201) return false;
        String nonce = TestServer.json(n).path("nonce").asText();
        HttpResponse<String> q = quoteTo.signedBy(s, "POST", "/api/v1/attestation/quotes", s.quoteJson(nonce).toString());
        answers.merge(label(q), 1, Integer::sum);
        if (q.statusCode() != 200) return false;
        assertEquals("PASSED", TestServer.json(q).path("result").asText(), q.body());
        lastNonce.put(s.machineId, nonce);
        acknowledged.incrementAndGet();
        return true;
    }

    private static String label(HttpResponse<String> r) {
        return r.statusCode() < 400 ? Integer.toString(r.statusCode()) : r.statusCode() + " " + TestServer.errorCode(r);
    }

    private static int total(Map<String, AtomicInteger> counts) {
        return counts.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    private static long count(TestServer t, String sql) {
        return t.db.withConnection(c -> {
            try (ResultSet rs = c.createStatement().executeQuery(sql)) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    private static int ready(TestServer t) {
        try {
            return t.http.send(HttpRequest.newBuilder(URI.create(t.url("/ready"))).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode();
        } catch (java.io.IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static void await(String what, int seconds, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out after " + seconds + " s waiting for " + what);
            Thread.sleep(100);
        }
    }
}
