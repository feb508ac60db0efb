package org.stationtrust.server.internal.attest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stationtrust.server.testing.TestServer;

/**
 * A replayed quote arriving among other stations' attestations on SQLite, where the group-commit writer runs many
 * requests' writes in one transaction: the replay is refused and ends its own transaction without a write, so the
 * others' writes are neither rolled back nor run again one by one (which would make every replay cost the server the
 * whole batch's work once more). The {@code stationtrust_db_group_commit_retried_total} counter would show any batch
 * rolled back and run again.
 */
class ReplaysInAGroupCommitTest {
    private static final String SCRAPE = "replays-in-a-batch-scrape-token-0123456789";
    private static final int STATIONS = 8;
    private static final int ATTESTATIONS_EACH = 12;
    private static final int REPLAYS = 60;
    @TempDir
    Path dir;

    @Test
    void replaysAmongManyAttestationsAreRefusedWithoutRollingBackTheOthersWrites() throws Exception {
        try (TestServer server = TestServer.start(dir, b -> b.metricsToken(SCRAPE.toCharArray())
                .rateLimits(1_000_000, 1_000_000, 1_000_000).clientLimits(TestServer.UNLIMITED_CLIENTS))) {
            server.fleetBootPolicy();
            List<DigestStation> stations = new ArrayList<>();
            for (int i = 0; i < STATIONS; i++) {
                DigestStation s = new DigestStation(server);
                assertEquals(200, s.quote().statusCode());
                stations.add(s);
            }
            DigestStation victim = stations.get(0);
            String replayed = victim.quoteBody(victim.nonce());
            assertEquals(200, DigestStation.send(server, replayed).statusCode(), "the quote's first use");
            int[] history = stations.stream().mapToInt(DigestStation::history).toArray();
            double retriedBefore = retried(server);

            ExecutorService pool = Executors.newFixedThreadPool(STATIONS + 4);
            try {
                List<Future<Integer>> own = new ArrayList<>();
                for (DigestStation s : stations) {
                    own.add(pool.submit(() -> {
                        int passed = 0;
                        for (int i = 0; i < ATTESTATIONS_EACH; i++) {
                            HttpResponse<String> r = s.quote();
                            assertEquals(200, r.statusCode(), r.body());
                            passed++;
                        }
                        return passed;
                    }));
                }
                List<Future<String>> replays = new ArrayList<>();
                for (int i = 0; i < REPLAYS; i++) {
                    replays.add(pool.submit(() -> TestServer.errorCode(DigestStation.send(server, replayed))));
                }
                for (Future<Integer> f : own) assertEquals(ATTESTATIONS_EACH, f.get());
                for (Future<String> f : replays) assertEquals("nonce_invalid", f.get());
            } finally {
                pool.shutdownNow();
            }

            for (int i = 0; i < STATIONS; i++) {
                assertEquals(Math.min(100, history[i] + ATTESTATIONS_EACH), stations.get(i).history(),
                        "every attestation of station " + i + " recorded once, the replays not at all");
            }
            assertEquals(retriedBefore, retried(server), "no batch was rolled back and run again write by write");
            assertTrue(batches(server) > 0, "the writes went through the group-commit writer");
        }
    }

    private static double retried(TestServer server) {
        return metric(server, "stationtrust_db_group_commit_retried_total ");
    }

    private static double batches(TestServer server) {
        return metric(server, "stationtrust_db_group_commit_batch_size_count ");
    }

    private static double metric(TestServer server, String prefix) {
        for (String line : server.request("GET", "/metrics", null, SCRAPE).body().split("\n")) {
            if (line.startsWith(prefix)) return Double.parseDouble(line.substring(prefix.length()));
        }
        throw new AssertionError("no " + prefix + "in the metrics");
    }
}
