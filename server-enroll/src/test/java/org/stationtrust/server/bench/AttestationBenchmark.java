package org.stationtrust.server.bench;

import static org.stationtrust.bench.BenchFigures.benchFigure;
import static org.stationtrust.bench.BenchFigures.writeBenchFigures;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import java.util.HexFormat;
import org.stationtrust.protocol.EnrollmentState;
import org.stationtrust.protocol.StationRoute;
import org.stationtrust.server.internal.station.Es256;
import org.stationtrust.server.testing.SoftwareStation;
import org.stationtrust.server.testing.StationClient;
import org.stationtrust.server.testing.TestServer;
import org.stationtrust.tpm.simulator.SyntheticBoot;
import org.stationtrust.tpm.simulator.SyntheticEventLog;
import org.stationtrust.tpm.verify.HashAlgorithm;
import org.stationtrust.tpm.verify.PcrValues;
import org.stationtrust.tpm.verify.QuoteVerifier;
import org.stationtrust.tpm.verify.TpmPublic;

/**
 * Load generator (not part of the normal test run): software-key stations do nonce + quote against a running
 * server on SQLite through one keep-alive connection each; prints attestations/s, p50/p99 closed and open loop at
 * 64 concurrent stations, the bare rate of the same verifications in a loop on this machine (the limit of issue 4's
 * ratio), CPU-normalised ratios and where the CPU of one attestation goes. Run: see server-enroll/README.md,
 * "Benchmark"; -Dbench.client=jdk drives the server with the JDK HttpClient instead.
 */
class AttestationBenchmark {
    static final int STATIONS = Integer.getInteger("bench.stations", 1000);
    static final int CONCURRENCY = Integer.getInteger("bench.concurrency", 64);
    static final int SECONDS = Integer.getInteger("bench.seconds", 20);
    static final int WARMUP_SECONDS = Integer.getInteger("bench.warmup", 20);
    /**
     * One-time ECDSA values the stations' signing uses up (the quote; the signed flow adds two request signatures),
     * prepared before the runs: enough for 3,000 attestations/s through the fixed warm-ups (the JIT's settling may
     * use them up and sign in full; {@link #PRESIGNED_MEASURED} are prepared after it).
     */
    static final int PRESIGNED = Integer.getInteger("bench.presigned", signaturesPerAttestation() * 3000
            * (WARMUP_SECONDS + WARMUP_SECONDS / 2 + 5));
    /**
     * Prepared again once the JIT has settled, for the measured closed loop and the open loop after it: enough for
     * 6,000 attestations/s (a 2-core machine of 2026-12-07 ran 4,800 /s closed loop and used up a budget of 3,000 /s).
     */
    static final int PRESIGNED_MEASURED = signaturesPerAttestation() * 6000 * (SECONDS + SECONDS / 2 + 5);

    /** A station's signatures per attestation: the quote; in the signed flow also its two request signatures. */
    static int signaturesPerAttestation() {
        return System.getProperty("bench.flow", "unsigned").equals("signed") ? 3 : 1;
    }

    @Test
    void attestationThroughputAgainstBareVerification() throws Exception {
        Path dir = Files.createTempDirectory("server-enroll-bench");
        try (ServerLogFile logFile = new ServerLogFile(dir.resolve("server.log"));
                TestServer server = TestServer.start(dir, b -> b.rateLimits(1_000_000, 1_000_000, 1_000_000)
                .clientLimits(TestServer.UNLIMITED_CLIENTS))) {
            List<SoftwareStation> stations = new ArrayList<>();
            List<String> ids = new ArrayList<>();
            server.fleetBootPolicy();
            for (int i = 0; i < STATIONS; i++) {
                SoftwareStation s = new SoftwareStation(true);
                s.pcrs().clear();
                BOOT_LOG.pcrs(HashAlgorithm.SHA256).forEach(s.pcrs()::put);
                for (int pcr = 0; pcr < 8; pcr++) s.pcrs().putIfAbsent(pcr, new byte[32]);
                stations.add(s);
                ids.add(server.seedMachine(s, EnrollmentState.ACTIVE, true));
                firstBoot(server, s, ids.get(i));
            }
            long prepareStart = System.nanoTime();
            SoftwareStation.prepareFastSignatures(PRESIGNED);
            double prepareSeconds = (System.nanoTime() - prepareStart) / 1e9;
            run(server, stations, ids, WARMUP_SECONDS, new long[1 << 20]);
            Bare before = bare(stations.get(0));
            // The bare loops leave the JIT with other profiles; let it settle on the server path again first.
            run(server, stations, ids, Math.max(1, WARMUP_SECONDS / 2), new long[1 << 20]);
            double settleSeconds = settleJit(server, stations, ids);
            // the warm-up and the settling may have used up the prepared values: prepare those of the measured runs anew
            long prepareAgainStart = System.nanoTime();
            SoftwareStation.prepareFastSignatures(PRESIGNED_MEASURED);
            prepareSeconds += (System.nanoTime() - prepareAgainStart) / 1e9;
            double jitAtStart = jitSeconds();
            long[] latencies = new long[1 << 22];
            double loadAtStart = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
            long start = System.nanoTime();
            double cpuStart = processCpuSeconds();
            ThreadCpu threadsAtStart = ThreadCpu.now();
            WORKER_CPU_NANOS.reset();
            int n = run(server, stations, ids, SECONDS, latencies);
            java.util.Map<String, Double> cpuSplit = ThreadCpu.now().since(threadsAtStart, WORKER_CPU_NANOS.sum() / 1e9);
            double cpu = processCpuSeconds() - cpuStart;
            double elapsed = (System.nanoTime() - start) / 1e9;
            double jitInRun = jitSeconds() - jitAtStart;
            long[] sorted = Arrays.copyOf(latencies, n);
            Arrays.sort(sorted);
            double rate = n / elapsed;
            Bare after = bare(stations.get(0));
            Bare bare = new Bare(before.threads, (before.quotesPerSecond + after.quotesPerSecond) / 2,
                    (before.jwsPerSecond + after.jwsPerSecond) / 2, (before.quotesPerCpuSecond + after.quotesPerCpuSecond)
                    / 2, (before.jwsPerCpuSecond + after.jwsPerCpuSecond) / 2);
            double openRate = rate / 2;
            long[] open = openLoop(server, stations, ids, openRate, SECONDS);
            long signedInFull = SoftwareStation.fastSignaturesSignedOnline();
            MetricsCost metricsCost = metricsCost(server, dir, stations, ids);
            double floorMicros = exchangeFloorMicros(server, stations, ids);
            double fullLogMicros = serverMicrosPer(server, stations, ids, AttestationBenchmark::attestWithFullLog);
            double bareJettyMicros = BareJettyFloor.microsPerExchange(CONCURRENCY, Math.max(3, SECONDS / 3));
            double unpreparedPerCpu = unpreparedQuotesPerCpuSecond(stations);
            // the bare figures above check one station's quote over and over, its key's tables hot in the caches
            double fleetKeysPerCpu = bareQuotes(stations)[1];
            double loadAtEnd = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
            Locale r = Locale.ROOT;
            System.out.printf(r, "%n=== attestation benchmark (SQLite, plain HTTP on loopback, %d stations, %d concurrent, %d s,"
                    + " %s client) ===%n", STATIONS, CONCURRENCY, SECONDS, CLIENT);
            System.out.printf(r, "machine: %d cores, load average (1 min) %.1f at the start of the measured run, %.1f at the"
                    + " end%n", Runtime.getRuntime().availableProcessors(), loadAtStart, loadAtEnd);
            String arenas = System.getenv("MALLOC_ARENA_MAX");
            System.out.printf(r, "MALLOC_ARENA_MAX=%s%s%n", arenas == null ? "(unset)" : arenas, "2".equals(arenas) ? ""
                    : " - WARNING: the server is deployed with 2 (README, \"Run it\"); glibc's default costs it more CPU");
            System.out.printf(r, "bare rates before / after the load run: quotes %.0f / %.0f, JWS %.0f / %.0f%n",
                    before.quotesPerSecond, after.quotesPerSecond, before.jwsPerSecond, after.jwsPerSecond);
            double closedP50 = sorted[n / 2] / 1e6;
            double closedP99 = sorted[(int) (n * 0.99)] / 1e6;
            double openP50 = open[open.length / 2] / 1e6;
            double openP99 = open[(int) (open.length * 0.99)] / 1e6;
            System.out.printf(r, "closed loop: attestations (nonce + quote, " + FLOW + " flow): %d in %.1f s = %.0f /s;"
                    + " p50 %.1f ms, p99 %.1f ms, max %.1f ms%n", n, elapsed, rate, closedP50, closedP99, sorted[n - 1] / 1e6);
            System.out.printf(r, "open loop: %d stations attesting at %.0f /s in total (half the closed-loop rate): %d done,"
                    + " p50 %.1f ms, p99 %.1f ms (target p99 < 50 ms)%n", CONCURRENCY, openRate, open.length, openP50, openP99);
            System.out.printf(r, "bare quote verification (QuoteVerifier.verify), %d threads: %.0f /s%n", bare.threads,
                    bare.quotesPerSecond);
            System.out.printf(r, "bare ES256 JWS verification (Es256, as the server), %d threads: %.0f /s%n", bare.threads,
                    bare.jwsPerSecond);
            // What one attestation verifies: the quote, plus in the signed exchange the two request signatures.
            int jwsChecks = FLOW.equals("signed") ? 2 : 0;
            String crypto = jwsChecks == 0 ? "1 quote" : "1 quote + 2 JWS verifications";
            double perAttestation = 1 / (1 / bare.quotesPerSecond + jwsChecks / bare.jwsPerSecond);
            double ratio = rate / perAttestation;
            System.out.printf(r, "bare crypto of one attestation (%s): %.0f /s%n", crypto, perAttestation);
            System.out.printf(r, "ratio attestations / bare crypto of one attestation: %.2f (target >= 0.3)%n", ratio);
            System.out.printf(r, "ratio attestations / bare quote verifications alone: %.2f%n", rate / bare.quotesPerSecond);
            double perCpu = n / cpu;
            double barePerAttestationCpu = 1 / (1 / bare.quotesPerCpuSecond + jwsChecks / bare.jwsPerCpuSecond);
            double cpuRatio = perCpu / barePerAttestationCpu;
            System.out.printf(r, "per CPU-second of this process (robust to other load on the machine): attestations %.0f,"
                    + " bare quote verifications %.0f, bare JWS verifications %.0f, bare crypto of one attestation %.0f%n",
                    perCpu, bare.quotesPerCpuSecond, bare.jwsPerCpuSecond, barePerAttestationCpu);
            System.out.printf(r, "CPU-normalised ratio attestations / bare crypto of one attestation: %.2f; / bare quote"
                    + " verifications alone: %.2f%n", cpuRatio, perCpu / bare.quotesPerCpuSecond);
            System.out.println("(the load generator's own signing and HTTP client run in the same process and cores)");
            System.out.printf(r, "load generator: %d one-time ECDSA values prepared before the runs in %.1f s (offline/online"
                    + " signing, so a station signature costs little during the run); signatures made in full because they"
                    + " ran out in the measured closed and open loops: %d%n", PRESIGNED + PRESIGNED_MEASURED, prepareSeconds,
                    signedInFull);
            // In the field the stations are other machines: the server's own cost is the process CPU less the load
            // generator's threads (GC and JIT stay on the server's side, though part of them is the generator's).
            double serverCpu = cpu - cpuSplit.getOrDefault("load generator", 0.0);
            double perServerCpu = n / serverCpu;
            double serverCpuRatio = perServerCpu / barePerAttestationCpu;
            System.out.printf(r, "per CPU-second of the server alone (process CPU less the load generator's threads):"
                    + " attestations %.0f; ratio / bare crypto of one attestation: %.2f%n", perServerCpu, serverCpuRatio);
            double quoteCpuRatio = perServerCpu / bare.quotesPerCpuSecond;
            boolean quoteTarget = quoteCpuRatio >= 0.35 && openP99 < 20;
            System.out.printf(r, "TARGET attestations per CPU-second of the server >= 0.35 x bare quote verifications per"
                    + " CPU-second (%s flow, measured boot on, log unchanged): %.2f; open-loop p99 %.1f ms (< 20 ms): %s%n",
                    FLOW, quoteCpuRatio, openP99, quoteTarget ? "met" : "not met");
            // Other processes starve the bare loops and the load run differently, so a wall-clock ratio alone can pass
            // or fail by accident: the target counts as met only when the CPU-normalised ratio agrees.
            boolean met = ratio >= 0.3 && cpuRatio >= 0.3;
            System.out.printf(r, "TARGET attestations >= 0.3 x bare crypto of one attestation, wall clock and per CPU-second:"
                    + " %.2f and %.2f: %s%n", ratio, cpuRatio, met ? "met" : "not met");
            if (Math.max(loadAtStart, loadAtEnd) > Runtime.getRuntime().availableProcessors() + 1) {
                System.out.println("WARNING: other processes loaded the machine during the run; wall-clock rates and"
                        + " ratios are unreliable, read the per-CPU-second figures");
            }
            System.out.printf(r, "JIT: warm-up continued %.0f s past the fixed %d s until the compilers settled (under %.0f ms of"
                    + " compiling per %d s slice, at most %d s); compiling during the measured run: %.2f s%n", settleSeconds,
                    WARMUP_SECONDS, SETTLED_JIT_MILLIS, SETTLE_SLICE_SECONDS, MAX_SETTLE_SECONDS, jitInRun);
            System.out.printf(r, "CPU per attestation in the closed loop: %.0f us in all, of which%n", cpu / n * 1e6);
            cpuSplit.forEach((group, seconds) -> System.out.printf(r, "  %-55s %6.0f us (%4.1f %%)%n", group,
                    seconds / n * 1e6, 100 * seconds / cpu));
            System.out.printf(r, "bare crypto of one attestation costs %.0f us of CPU (%s)%n",
                    1e6 / barePerAttestationCpu, crypto);
            System.out.printf(r, "metrics (Micrometer, recorded as deployed) against no-op meters, same database, four runs of %d s"
                    + " in the order on, off, off, on (means): %.0f /s and %.0f us CPU per attestation with metrics, %.0f /s and %.0f us without;"
                    + " metrics cost %.0f us CPU per attestation (%.1f %% of the bare crypto's CPU); rate ratio %.2f%n",
                    SECONDS, metricsCost.onRate(), metricsCost.onCpuMicros(), metricsCost.offRate(),
                    metricsCost.offCpuMicros(), metricsCost.onCpuMicros() - metricsCost.offCpuMicros(),
                    100 * (metricsCost.onCpuMicros() - metricsCost.offCpuMicros()) / (1e6 / barePerAttestationCpu),
                    metricsCost.onRate() / metricsCost.offRate());
            double budgetMicros = 1e6 / (0.35 * bare.quotesPerCpuSecond);
            System.out.printf(r, "one nonce exchange alone (HTTP exchange + MAC, nothing written), closed loop: %.0f us"
                    + " of server CPU; two such exchanges %.0f us against the %.0f us of server CPU a whole attestation"
                    + " may cost at the 0.35 target; an attestation costs %.0f us%n", floorMicros, 2 * floorMicros,
                    budgetMicros, 1e6 / perServerCpu);
            double fullLogBarePerCpu = 1 / (1 / bare.quotesPerCpuSecond + 1 / bare.jwsPerCpuSecond);
            System.out.printf(r, "measured boot with the whole log (%d bytes) sent with every quote, the quote request"
                    + " signed (the log is the one accepted, so its digest decides it; judging a log anew:"
                    + " EventLogBenchmark): %.0f us of server CPU per attestation = %.0f per server CPU-second; / bare crypto of one"
                    + " such attestation (1 quote + 1 JWS verification): %.2f (with only the digest sent: %.2f)%n",
                    BOOT_LOG.bytes().length, fullLogMicros, 1e6 / fullLogMicros, 1e6 / fullLogMicros / fullLogBarePerCpu,
                    serverCpuRatio);
            System.out.printf(r, "one exchange on a bare Jetty server (a handler that reads the body and answers fixed JSON,"
                    + " same load and client): %.0f us of server CPU; the nonce exchange costs %.1f x that%n",
                    bareJettyMicros, floorMicros / bareJettyMicros);
            System.out.printf(r, "bare quote verification with the AK parsed and prepared each time (as the server did"
                    + " before it kept parsed AKs, and as the bare figure was measured when issue 19 was filed): %.0f per"
                    + " CPU-second; attestations per server CPU-second against it: %.2f%n", unpreparedPerCpu,
                    perServerCpu / unpreparedPerCpu);
            System.out.printf(r, "bare quote verification cycling through all %d stations' AKs (the keys the server meets;"
                    + " the bare figure above checks one station's quote, its key hot in the caches): %.0f per CPU-second"
                    + " (%.0f us) against %.0f (%.0f us); attestations per server CPU-second against it: %.2f%n", STATIONS,
                    fleetKeysPerCpu, 1e6 / fleetKeysPerCpu, bare.quotesPerCpuSecond, 1e6 / bare.quotesPerCpuSecond,
                    perServerCpu / fleetKeysPerCpu);
            String load = String.format(r, "load average %.1f-%.1f", loadAtStart, loadAtEnd);
            writeBenchFigures("server-enroll",
                    benchFigure("server attestations/s (nonce + quote, " + CONCURRENCY + " concurrent, SQLite) / bare crypto"
                            + " of one attestation (" + crypto + ", " + FLOW + " flow)", rate, perAttestation, "attestations/s", ratio,
                            "ratio >= 0.3", met, "issue 4's target: the limit is the raw rate of the same"
                            + " signature verifications one attestation does (" + crypto + "), in a bare loop on "
                            + bare.threads + " threads in the same JVM before and after the run; the load generator shares"
                            + " the cores (its signatures use one-time ECDSA values prepared before the runs); met only when the per CPU-second ratio (" + String.format(r, "%.2f", cpuRatio)
                            + ") is >= 0.3 too, since load from other processes skews wall-clock ratios; " + load),
                    benchFigure("server attestations per CPU-second of the server alone / bare crypto of one attestation"
                            + " per CPU-second", perServerCpu, barePerAttestationCpu, "attestations/CPU-s", serverCpuRatio,
                            "reported", null, "the process's CPU less the load generator's threads (which sign and send"
                            + " for the stations, other machines in the field); GC and JIT counted as the server's; "
                            + load),
                    benchFigure("server attestations per CPU-second of the server alone / bare quote verifications per"
                            + " CPU-second (" + FLOW + " flow, measured boot on, log unchanged)", perServerCpu,
                            bare.quotesPerCpuSecond, "per CPU-s", quoteCpuRatio, "ratio >= 0.35 and open-loop p99 < 20 ms",
                            quoteTarget, "issue 19's target: an attestation at most about three times the cost of the"
                            + " one quote check it must make; wall-clock ratio " + String.format(r, "%.2f",
                            rate / bare.quotesPerSecond) + "; open-loop p99 " + String.format(r, "%.1f", openP99)
                            + " ms; " + load),
                    benchFigure("server attestations/s with metrics recorded / with no-op meters", metricsCost.onRate(),
                            metricsCost.offRate(), "attestations/s", metricsCost.onRate() / metricsCost.offRate(),
                            "reported", null, "the cost of metrics on the attestation path: "
                            + String.format(r, "%.0f", metricsCost.onCpuMicros() - metricsCost.offCpuMicros())
                            + " us CPU per attestation (" + String.format(r, "%.0f vs %.0f", metricsCost.onCpuMicros(),
                            metricsCost.offCpuMicros()) + " us); the main ratio above is measured with metrics on; "
                            + load),
                    benchFigure("server CPU of one nonce exchange alone (the HTTP floor) / server CPU per attestation"
                            + " allowed by the 0.35 target", floorMicros, budgetMicros, "us", floorMicros / budgetMicros,
                            "reported", null, "an attestation makes two exchanges; it costs " + String.format(r, "%.0f",
                            1e6 / perServerCpu) + " us; " + load),
                    benchFigure("server attestations per CPU-second of the server alone / bare quote verifications per"
                            + " CPU-second with the AK parsed and prepared each time", perServerCpu, unpreparedPerCpu,
                            "per CPU-s", perServerCpu / unpreparedPerCpu, "reported", null, "the baseline as issue 19"
                            + " measured it when filed; the server now keeps parsed AKs, which made the bare check above"
                            + " about four times cheaper and the issue's ratio harder to reach; " + load),
                    benchFigure("server attestations per CPU-second of the server alone / bare quote verifications per"
                            + " CPU-second cycling through every station's AK", perServerCpu, fleetKeysPerCpu, "per CPU-s",
                            perServerCpu / fleetKeysPerCpu, "reported", null, "the bare check of the target above uses one"
                            + " station's quote, its key's tables hot in the caches; this one the " + STATIONS + " keys"
                            + " the server checks in turn; " + load),
                    benchFigure("attestation p99 latency, open loop at half the closed-loop rate", openP99, null, "ms",
                            null, "ours < 50 ms", openP99 < 50, CONCURRENCY + " stations; open-loop p50 "
                            + String.format(r, "%.1f", openP50) + " ms; closed-loop p50 / p99 "
                            + String.format(r, "%.1f / %.1f", closedP50, closedP99) + " ms; " + load));
        }
    }

    /**
     * Every station boots the same (a fleet of one laptop model): a UEFI Secure Boot log of a real log's size. The
     * synthetic boot alone is 3.9 KB; real boot logs are larger, mostly by their revocation list (dbx), so this one
     * carries {@value #REVOKED_HASHES} revoked hashes, which makes it 24 KB: the median size of the whole-boot logs in
     * tpm/src/test/resources/eventlogs/go-eventlog (15.6-38.3 KB; copies of the real logs,
     * with their source and licence beside them).
     */
    static final SyntheticEventLog BOOT_LOG = typicalBoot();
    static final String BOOT_LOG_SHA256 = HexFormat.of().formatHex(HashAlgorithm.SHA256.digest(BOOT_LOG.bytes()));
    static final int REVOKED_HASHES = 420;

    private static SyntheticEventLog typicalBoot() {
        try {
            List<byte[]> revoked = new java.util.ArrayList<>();
            for (int i = 0; i < REVOKED_HASHES; i++) {
                revoked.add(HashAlgorithm.SHA256.digest(("revoked boot image " + i).getBytes(
                        java.nio.charset.StandardCharsets.US_ASCII)));
            }
            return SyntheticBoot.typical().dbx(revoked).log(HashAlgorithm.SHA256);
        } catch (Exception e) {
            throw new IllegalStateException("cannot build the synthetic boot log", e);
        }
    }

    /** The station's first attestation carries its whole event log (signed, as a log that large must be). */
    static void firstBoot(TestServer server, SoftwareStation s, String id) {
        HttpResponse<String> n = server.stations.send("POST", NONCES, "{}", id, StationClient.jcaSigner(s.machineKey()));
        if (n.statusCode() != 201) throw new AssertionError(n.body());
        String nonce = TestServer.json(n).path("nonce").asText();
        String quote = s.quoteBody(nonce);
        quote = quote.substring(0, quote.length() - 1) + ",\"eventLog\":\""
                + Base64.getEncoder().encodeToString(BOOT_LOG.bytes()) + "\"}";
        HttpResponse<String> r = server.stations.send("POST", QUOTES, quote, id, StationClient.jcaSigner(s.machineKey()));
        if (r.statusCode() != 200) throw new AssertionError(r.body());
    }

    /** Rates and CPU per attestation with metrics recorded and with no-op meters (runs back to back). */
    record MetricsCost(double onRate, double onCpuMicros, double offRate, double offCpuMicros) {
    }

    /**
     * The cost of recording metrics: a second instance on the same database with every meter a no-op (the first one
     * idles meanwhile), measured in the order on, off, off, on, each run warmed up and measured for {@link #SECONDS}.
     * Every run adds attestations to the same database, so a later run works on a larger one; in this order a steady
     * drift falls equally on both sides, where "off, then on" counted it as the cost of metrics.
     */
    static MetricsCost metricsCost(TestServer on, Path dir, List<SoftwareStation> stations, List<String> ids)
            throws Exception {
        double[] first = measured(on, stations, ids);
        double[] off1;
        double[] off2;
        try (TestServer noop = TestServer.second(org.stationtrust.server.testing.TestDatabases.sqliteUrl(dir),
                null, null, on.tokens, b -> b.rateLimits(1_000_000, 1_000_000, 1_000_000).metricsRecorded(false)
                        .clientLimits(TestServer.UNLIMITED_CLIENTS))) {
            off1 = measured(noop, stations, ids);
            off2 = measured(noop, stations, ids);
        }
        double[] last = measured(on, stations, ids);
        return new MetricsCost((first[0] + last[0]) / 2, (first[1] + last[1]) / 2, (off1[0] + off2[0]) / 2,
                (off1[1] + off2[1]) / 2);
    }

    /** {attestations per second, microseconds of process CPU per attestation} after a short warm-up. */
    static double[] measured(TestServer server, List<SoftwareStation> stations, List<String> ids) throws Exception {
        run(server, stations, ids, Math.max(1, WARMUP_SECONDS / 2), new long[1 << 20]);
        double cpuStart = processCpuSeconds();
        long start = System.nanoTime();
        int n = run(server, stations, ids, SECONDS, new long[1 << 22]);
        double elapsed = (System.nanoTime() - start) / 1e9;
        return new double[] {n / elapsed, (processCpuSeconds() - cpuStart) / n * 1e6};
    }

    /** CPU time of closed-loop workers that have finished (their threads are gone before a snapshot sees them). */
    static final java.util.concurrent.atomic.LongAdder WORKER_CPU_NANOS = new java.util.concurrent.atomic.LongAdder();

    static final class ManagementFactoryHolder {
        static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();
    }

    /** One unit of a closed-loop worker's work: an attestation, or only its nonce exchange. */
    interface Exchange {
        boolean once(Transport client, SoftwareStation s, String id);
    }

    /** Runs CONCURRENCY workers for the given time; returns the number of attestations, latencies filled. */
    static int run(TestServer server, List<SoftwareStation> stations, List<String> ids, int seconds, long[] latencies)
            throws Exception {
        return run(server, stations, ids, seconds, latencies, AttestationBenchmark::attest);
    }

    /** Runs CONCURRENCY workers doing {@code exchange} for the given time; returns how many were done. */
    static int run(TestServer server, List<SoftwareStation> stations, List<String> ids, int seconds, long[] latencies,
                   Exchange exchange) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong done = new AtomicLong();
        AtomicLong failures = new AtomicLong();
        CountDownLatch finished = new CountDownLatch(CONCURRENCY);
        for (int w = 0; w < CONCURRENCY; w++) {
            int worker = w;
            Thread t = new Thread(() -> {
                int i = worker;
                Transport transport = transport(server);
                long cpu0 = ManagementFactoryHolder.THREADS.getCurrentThreadCpuTime();
                try {
                    while (!stop.get()) {
                        int k = i % stations.size();
                        i += CONCURRENCY;
                        long t0 = System.nanoTime();
                        boolean ok = exchange.once(transport, stations.get(k), ids.get(k));
                        long dt = System.nanoTime() - t0;
                        if (!ok) {
                            failures.incrementAndGet();
                            continue;
                        }
                        long slot = done.getAndIncrement();
                        if (slot < latencies.length) latencies[(int) slot] = dt;
                    }
                } finally {
                    WORKER_CPU_NANOS.add(ManagementFactoryHolder.THREADS.getCurrentThreadCpuTime() - cpu0);
                    finished.countDown();
                }
            });
            t.setName("bench-closed-" + w);
            t.setDaemon(true);
            t.start();
        }
        Thread.sleep(seconds * 1000L);
        stop.set(true);
        finished.await();
        if (failures.get() > 0) throw new AssertionError(failures.get() + " attestations failed");
        return (int) Math.min(done.get(), latencies.length);
    }

    /** 64 stations each attesting on a fixed schedule (open loop): latency without self-inflicted queueing. */
    static long[] openLoop(TestServer server, List<SoftwareStation> stations, List<String> ids, double totalRate,
                           int seconds) throws Exception {
        long periodNanos = (long) (CONCURRENCY / totalRate * 1e9);
        long[] latencies = new long[1 << 20];
        AtomicLong done = new AtomicLong();
        AtomicLong failures = new AtomicLong();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < CONCURRENCY; w++) {
            int worker = w;
            Thread t = new Thread(() -> {
                long next = System.nanoTime() + (long) (Math.random() * periodNanos);
                int k = worker % stations.size();
                Transport transport = transport(server);
                while (next < end) {
                    long wait = next - System.nanoTime();
                    if (wait > 0) java.util.concurrent.locks.LockSupport.parkNanos(wait);
                    long t0 = System.nanoTime();
                    if (!attest(transport, stations.get(k), ids.get(k))) failures.incrementAndGet();
                    long slot = done.getAndIncrement();
                    if (slot < latencies.length) latencies[(int) slot] = System.nanoTime() - t0;
                    next += periodNanos;
                }
            });
            t.setName("bench-open-" + w);
            t.setDaemon(true);
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) t.join();
        if (failures.get() > 0) throw new AssertionError(failures.get() + " attestations failed");
        long[] out = Arrays.copyOf(latencies, (int) Math.min(done.get(), latencies.length));
        Arrays.sort(out);
        return out;
    }

    /** How a worker sends one signed station request: the lean keep-alive client or the JDK HttpClient. */
    interface Transport {
        KeepAliveClient.Response send(String method, String path, String body, String signatureHeader);
    }

    static final String CLIENT = System.getProperty("bench.client", "lean");

    /** A transport for one worker thread (the lean client keeps one connection per worker). */
    static Transport transport(TestServer server) {
        if (CLIENT.equals("jdk")) {
            return (method, path, body, header) -> {
                HttpResponse<String> r = server.stations.sendRaw(method, path, body, header);
                return new KeepAliveClient.Response(r.statusCode(), r.body());
            };
        }
        java.net.URI base = java.net.URI.create(server.server.baseUrl());
        KeepAliveClient client = new KeepAliveClient(base.getHost(), base.getPort());
        return client::send;
    }

    static KeepAliveClient.Response signed(Transport t, String path, String body, String id, SoftwareStation s) {
        long ts = System.currentTimeMillis() / 1000;
        String header = StationClient.header(id, StationClient.payload("POST", path, StationClient.bytes(body), ts,
                requestNonce()), s::signWithMachineKey);
        return t.send("POST", path, body, header);
    }

    /**
     * A request nonce for the simulated stations: it only has to be unique per machine (the server refuses a reused
     * one), not secret, so the generator draws it from its thread's own generator instead of the shared SecureRandom.
     */
    static String requestNonce() {
        byte[] b = new byte[18];
        java.util.concurrent.ThreadLocalRandom.current().nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /**
     * How stations attest: "unsigned" (default; the quote authenticates the request, docs/server-api.md) or
     * "signed" (both requests carry X-Station-Signature), to measure what the unsigned exchange saves.
     */
    static final String FLOW = System.getProperty("bench.flow", "unsigned");
    static final String NONCES = StationRoute.NONCE.path();
    static final String QUOTES = StationRoute.QUOTE.path();

    /**
     * One attestation as a station whose boot event log the server already holds: nonce, then the quote with only
     * the log's digest (measured boot on, log unchanged).
     */
    static boolean attest(Transport client, SoftwareStation s, String id) {
        boolean signed = FLOW.equals("signed");
        KeepAliveClient.Response n = signed ? signed(client, NONCES, "{}", id, s)
                : client.send("POST", NONCES, "{\"purpose\":\"quote\",\"machineId\":\"" + id + "\"}", null);
        if (n.status() != 201) {
            System.err.println(n.body());
            return false;
        }
        String body = n.body();
        int at = body.indexOf("\"nonce\":\"") + 9;
        String nonce = body.substring(at, body.indexOf('"', at));
        String quote = s.quoteBody(nonce);
        quote = quote.substring(0, quote.length() - 1) + ",\"eventLogSha256\":\"" + BOOT_LOG_SHA256 + "\""
                + (signed ? "" : ",\"machineId\":\"" + id + "\"") + "}";
        KeepAliveClient.Response r = signed ? signed(client, QUOTES, quote, id, s) : client.send("POST", QUOTES, quote,
                null);
        if (r.status() != 200) System.err.println(r.body());
        return r.status() == 200;
    }

    /** Only the first half of an unsigned attestation: the anonymous nonce exchange (nothing is written). */
    static boolean nonceOnly(Transport client, SoftwareStation s, String id) {
        KeepAliveClient.Response n = client.send("POST", NONCES, "{\"purpose\":\"quote\",\"machineId\":\"" + id + "\"}",
                null);
        return n.status() == 201;
    }

    /**
     * Server CPU (process less the load generator) per nonce exchange alone, in microseconds, after a short warm-up:
     * what one HTTP exchange costs on this stack (Jetty, the request gate, Javalin, JSON, the request's log line and
     * metrics) with a MAC as its only work, the floor under the two exchanges of an attestation.
     */
    static final double SETTLED_JIT_MILLIS = 100;
    static final int SETTLE_SLICE_SECONDS = 5;
    static final int MAX_SETTLE_SECONDS = Integer.getInteger("bench.settle", 120);

    /**
     * Runs the closed loop in slices until the JIT compilers have settled (less than {@link #SETTLED_JIT_MILLIS} of
     * compiling in a slice) or {@link #MAX_SETTLE_SECONDS} have passed; returns the seconds it ran. A server runs for
     * days, so its cost per attestation is the steady state's: compiling that spills into the measured run (it did on a
     * loaded machine, where the compilers fall behind) would be counted as the server's.
     */
    static double settleJit(TestServer server, List<SoftwareStation> stations, List<String> ids) throws Exception {
        long start = System.nanoTime();
        while ((System.nanoTime() - start) / 1e9 < MAX_SETTLE_SECONDS) {
            double before = jitSeconds();
            run(server, stations, ids, SETTLE_SLICE_SECONDS, new long[1 << 20]);
            if ((jitSeconds() - before) * 1000 < SETTLED_JIT_MILLIS) break;
        }
        return (System.nanoTime() - start) / 1e9;
    }

    /** Seconds the JIT compilers have spent compiling so far (HotSpot's accumulated figure). */
    static double jitSeconds() {
        return java.lang.management.ManagementFactory.getCompilationMXBean().getTotalCompilationTime() / 1000.0;
    }

    static double exchangeFloorMicros(TestServer server, List<SoftwareStation> stations, List<String> ids)
            throws Exception {
        return serverMicrosPer(server, stations, ids, AttestationBenchmark::nonceOnly);
    }

    /** Server CPU (process less the load generator) per {@code exchange}, in microseconds, after a short warm-up. */
    static double serverMicrosPer(TestServer server, List<SoftwareStation> stations, List<String> ids, Exchange exchange)
            throws Exception {
        int seconds = Math.max(1, SECONDS / 2);
        run(server, stations, ids, Math.max(1, WARMUP_SECONDS / 4), new long[1 << 20], exchange);
        ThreadCpu threadsAtStart = ThreadCpu.now();
        double cpuStart = processCpuSeconds();
        WORKER_CPU_NANOS.reset();
        int n = run(server, stations, ids, seconds, new long[1 << 22], exchange);
        java.util.Map<String, Double> split = ThreadCpu.now().since(threadsAtStart, WORKER_CPU_NANOS.sum() / 1e9);
        double serverCpu = processCpuSeconds() - cpuStart - split.getOrDefault("load generator", 0.0);
        return serverCpu / n * 1e6;
    }

    static final String BOOT_LOG_BASE64 = Base64.getEncoder().encodeToString(BOOT_LOG.bytes());

    /**
     * An attestation that sends the whole boot event log with every quote, as a station that does not keep the
     * server's digest does. The quote request is signed, as a station's is when it sends a log (a body over the
     * unsigned limit needs it). The log is the one the server accepted, so its digest decides it (docs/design.md,
     * "An unchanged boot"); the log is still carried, decoded and hashed every time.
     */
    static boolean attestWithFullLog(Transport client, SoftwareStation s, String id) {
        KeepAliveClient.Response n = client.send("POST", NONCES, "{\"purpose\":\"quote\",\"machineId\":\"" + id
                + "\"}", null);
        if (n.status() != 201) return false;
        String body = n.body();
        int at = body.indexOf("\"nonce\":\"") + 9;
        String quote = s.quoteBody(body.substring(at, body.indexOf('"', at)));
        quote = quote.substring(0, quote.length() - 1) + ",\"eventLog\":\"" + BOOT_LOG_BASE64 + "\"}";
        KeepAliveClient.Response r = signed(client, QUOTES, quote, id, s);
        if (r.status() != 200) System.err.println(r.body());
        return r.status() == 200;
    }

    record Bare(int threads, double quotesPerSecond, double jwsPerSecond, double quotesPerCpuSecond,
                double jwsPerCpuSecond) {
    }

    /** The same verifications in a bare loop, on as many threads as there are cores. */
    static Bare bare(SoftwareStation s) throws Exception {
        return bare(List.of(s));
    }

    /**
     * The same verifications in a bare loop, on as many threads as there are cores, cycling through the keys of
     * the given stations (one station: its keys stay hot in the caches; all: the keys the server meets).
     */
    static Bare bare(List<SoftwareStation> stations) throws Exception {
        int threads = Runtime.getRuntime().availableProcessors();
        int n = stations.size();
        byte[][] inputs = new byte[n][];
        byte[][] sigs = new byte[n][];
        org.bouncycastle.crypto.params.ECPublicKeyParameters[] keys = new org.bouncycastle.crypto.params.ECPublicKeyParameters[n];
        for (int i = 0; i < n; i++) {
            SoftwareStation s = stations.get(i);
            String jws = s.jws("station-request+jws", "m", StationClient.payload("GET", "/x", new byte[0], 0,
                    "n".repeat(24)).getBytes(StandardCharsets.UTF_8));
            inputs[i] = jws.substring(0, jws.lastIndexOf('.')).getBytes(StandardCharsets.US_ASCII);
            sigs[i] = Base64.getUrlDecoder().decode(jws.substring(jws.lastIndexOf('.') + 1));
            // The same ES256 check the server runs (Es256, BouncyCastle lightweight), key decoded once as the server caches it.
            keys[i] = Es256.key(s.machineKey().getPublic());
        }
        double[] quoteRate = bareQuotes(stations);
        ThreadLocal<int[]> next = ThreadLocal.withInitial(() -> new int[1]);
        double[] jwsRate = loop(threads, () -> {
            int i = next.get()[0]++ % n;
            if (!Es256.verify(keys[i], inputs[i], sigs[i])) throw new AssertionError();
        });
        return new Bare(threads, quoteRate[0], jwsRate[0], quoteRate[1], jwsRate[1]);
    }

    /**
     * The bare quote check alone ({@code QuoteVerifier.verify}, AK parsed once), cycling through the given stations'
     * quotes on as many threads as there are cores: {checks/s, checks per CPU-second}.
     */
    static double[] bareQuotes(List<SoftwareStation> stations) throws Exception {
        int n = stations.size();
        TpmPublic[] aks = new TpmPublic[n];
        byte[][][] quotes = new byte[n][][];
        PcrValues[] pcrs = new PcrValues[n];
        byte[] nonce = new byte[32];
        for (int i = 0; i < n; i++) {
            SoftwareStation s = stations.get(i);
            aks[i] = TpmPublic.parse(s.akPublic());
            quotes[i] = s.quote(nonce);
            pcrs[i] = PcrValues.sha256(s.pcrs());
        }
        ThreadLocal<int[]> next = ThreadLocal.withInitial(() -> new int[1]);
        return loop(Runtime.getRuntime().availableProcessors(), () -> {
            int i = next.get()[0]++ % n;
            QuoteVerifier.verify(aks[i], quotes[i][0], quotes[i][1], nonce, pcrs[i]);
        });
    }

    /** Quote checks per CPU-second with the AK parsed from its bytes (and so prepared again) for every check. */
    static double unpreparedQuotesPerCpuSecond(List<SoftwareStation> stations) throws Exception {
        int n = stations.size();
        byte[][] aks = new byte[n][];
        byte[][][] quotes = new byte[n][][];
        PcrValues[] pcrs = new PcrValues[n];
        byte[] nonce = new byte[32];
        for (int i = 0; i < n; i++) {
            SoftwareStation s = stations.get(i);
            aks[i] = s.akPublic();
            quotes[i] = s.quote(nonce);
            pcrs[i] = PcrValues.sha256(s.pcrs());
        }
        ThreadLocal<int[]> next = ThreadLocal.withInitial(() -> new int[1]);
        return loop(Runtime.getRuntime().availableProcessors(), () -> {
            int i = next.get()[0]++ % n;
            QuoteVerifier.verify(TpmPublic.parse(aks[i]), quotes[i][0], quotes[i][1], nonce, pcrs[i]);
        })[1];
    }

    /** CPU time of this whole process (server, load generator and all), in seconds. */
    static double processCpuSeconds() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime() / 1e9;
    }

    interface Work {
        void run() throws Exception;
    }

    /** Returns {operations per wall-clock second, operations per CPU-second of the process}. */
    static double[] loop(int threads, Work work) throws Exception {
        for (int i = 0; i < 2000; i++) work.run();
        AtomicLong count = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread th = new Thread(() -> {
                try {
                    while (!stop.get()) {
                        work.run();
                        count.incrementAndGet();
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            th.setName("bench-bare-" + t);
            th.start();
            ts.add(th);
        }
        Thread.sleep(1500); // JIT warm on every thread before the measured window
        long t0 = System.nanoTime();
        double cpu0 = processCpuSeconds();
        count.set(0);
        Thread.sleep(5000);
        stop.set(true);
        for (Thread th : ts) th.join();
        double cpu = processCpuSeconds() - cpu0;
        return new double[] {count.get() / ((System.nanoTime() - t0) / 1e9), count.get() / cpu};
    }
}
