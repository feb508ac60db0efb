package org.stationtrust.server.bench;

import static org.stationtrust.bench.BenchFigures.benchFigure;
import static org.stationtrust.bench.BenchFigures.writeBenchFigures;

import com.zaxxer.hikari.metrics.IMetricsTracker;
import com.zaxxer.hikari.metrics.PoolStats;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.stationtrust.server.internal.metrics.ServerMetrics;
import org.stationtrust.server.internal.store.GroupCommitObserver;
import org.stationtrust.server.testing.SoftwareStation;

/**
 * The CPU the meters of one attestation cost, in thread CPU time on one thread, against the bare crypto of one
 * attestation measured in the same run: a figure that holds on a loaded machine, where the end-to-end comparison
 * in {@link AttestationBenchmark} (server with and without metrics) drowns in other processes' load. One attestation
 * (nonce + quote) records: per HTTP request what Micrometer's Jetty 12 TimedHandler records (two long-task timers
 * started and stopped, one timer looked up by method, status and outcome); per pooled connection HikariCP's
 * Micrometer tracker (acquire and usage times; three connections, the group-commit one counted whole); the attempt
 * counter and the verify-latency histogram; one group-commit batch observation (counted whole: batches are shared).
 * Run: {@code mvn -pl server-enroll test -Dtest=MetricsCostBenchmark -DskipFuzz=true}.
 */
class MetricsCostBenchmark {
    private static final int ROUNDS = Integer.getInteger("bench.metrics.rounds", 300_000);

    @Test
    void metricsOfOneAttestationAgainstItsBareCrypto() throws Exception {
        ServerMetrics metrics = ServerMetrics.create();
        MeterRegistry registry = metrics.registry();
        IMetricsTracker pool = new MicrometerMetricsTrackerFactory(registry).create("server-enroll", new PoolStats(1000) {
            @Override
            protected void update() {
                totalConnections = 8;
                idleConnections = 7;
                activeConnections = 1;
                maxConnections = 8;
                minConnections = 8;
            }
        });
        LongTaskTimer openRequests = LongTaskTimer.builder("jetty.server.requests.open").register(registry);
        LongTaskTimer handling = LongTaskTimer.builder("jetty.server.handling").register(registry);
        GroupCommitObserver batches = metrics.groupCommitObserver();
        Runnable oneAttestation = () -> {
            for (int request = 0; request < 2; request++) {
                LongTaskTimer.Sample open = openRequests.start();
                LongTaskTimer.Sample handle = handling.start();
                Timer.Sample sample = Timer.start(registry);
                handle.stop();
                open.stop();
                sample.stop(registry.timer("jetty.server.requests", Tags.of("method", "POST", "status",
                        request == 0 ? "201" : "200", "outcome", "SUCCESS")));
            }
            for (int c = 0; c < 3; c++) {
                pool.recordConnectionAcquiredNanos(20_000);
                pool.recordConnectionUsageMillis(1);
            }
            metrics.attestation(null, 400_000);
            batches.committed(8, 900_000);
        };
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        for (int i = 0; i < ROUNDS / 3; i++) oneAttestation.run(); // warm-up for the JIT
        long cpu0 = threads.getCurrentThreadCpuTime();
        for (int i = 0; i < ROUNDS; i++) oneAttestation.run();
        double metricsMicros = (threads.getCurrentThreadCpuTime() - cpu0) / 1e3 / ROUNDS;
        AttestationBenchmark.Bare bare = AttestationBenchmark.bare(new SoftwareStation());
        double bareMicros = 1e6 / (1 / (1 / bare.quotesPerCpuSecond() + 2 / bare.jwsPerCpuSecond()));
        double load = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        Locale r = Locale.ROOT;
        System.out.printf(r, "%n=== metrics cost on the attestation path (load average %.1f) ===%n", load);
        System.out.printf(r, "meters of one attestation: %.2f us of thread CPU (%d rounds)%n", metricsMicros, ROUNDS);
        System.out.printf(r, "bare crypto of one attestation (1 quote + 2 ES256): %.0f us of CPU%n", bareMicros);
        System.out.printf(r, "metrics / bare crypto: %.2f %%; the attestation ratio falls by at most this share of the"
                + " bare crypto, e.g. from 0.34 to %.3f%n", 100 * metricsMicros / bareMicros,
                1 / (1 / 0.34 + metricsMicros / bareMicros));
        writeBenchFigures("server-enroll-metrics",
                benchFigure("CPU of the meters one attestation records / CPU of its bare crypto (1 quote + 2 ES256)",
                        metricsMicros, bareMicros, "us", metricsMicros / bareMicros, "reported", null,
                        "thread CPU time on one thread, so other load on the machine hardly moves it; the meters are "
                                + "the ones a running server records per attestation (Jetty 12 request timers, HikariCP "
                                + "pool timers, attempt counter, verify histogram, group-commit batch); load average "
                                + String.format(r, "%.1f", load)));
    }
}
