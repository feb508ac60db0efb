package org.stationtrust.server.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.stationtrust.bench.BenchFigures.benchFigure;
import static org.stationtrust.bench.BenchFigures.writeBenchFigures;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.stationtrust.server.internal.boot.BootJudge;
import org.stationtrust.server.internal.boot.BootPolicy;
import org.stationtrust.server.internal.boot.BootVerdict;
import org.stationtrust.tpm.eventlog.EventLog;
import org.stationtrust.tpm.verify.HashAlgorithm;

/**
 * What judging a boot costs the server, on one core (one thread, in that thread's CPU time): parse, replay against
 * the quoted PCRs, boot state and policy of real logs, against the bare SHA-256 of the same bytes measured in the
 * same run (alternating rounds of one CPU-second each, median). Target: at least 10,000 logs per second per core. Not a timed test: run by scripts/bench
 * ({@code -Dtest=EventLogBenchmark}); the normal build excludes *Benchmark.
 */
class EventLogBenchmark {
    private static final double TARGET = 10_000;
    private static final Path LOGS = Path.of("..", "tpm", "src", "test", "resources", "eventlogs");
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 7);
    private static final long ROUND_NANOS = 1_000_000_000L;

    private record Figure(String name, int bytes, double ours, double bare, double ratio) {
    }

    @Test
    void judgingARealLogCostsLittleNextToHashingIt() throws Exception {
        BootPolicy policy = BootPolicy.parse("{\"name\": \"bench\"}".getBytes(StandardCharsets.UTF_8));
        List<Figure> figures = new ArrayList<>();
        figures.add(measure("Windows on Google Cloud, SHA-1 log", windowsLog(), policy));
        figures.add(measure("HP desktop with option ROMs, SHA-1 log", Files.readAllBytes(
                LOGS.resolve("go-attestation/option_rom_eventlog")), BootPolicy.parse(
                "{\"name\": \"bench\", \"requireSecureBoot\": false}".getBytes(StandardCharsets.UTF_8))));
        figures.add(measure("RHEL 8 UEFI VM, crypto-agile log", Files.readAllBytes(
                LOGS.resolve("go-eventlog/rhel8-uefi.bin")), policy));
        List<String> json = new ArrayList<>();
        for (Figure f : figures) {
            System.out.printf(Locale.ROOT, "%s (%d bytes): %.0f logs/s per core judged (parse, replay, boot state,"
                    + " policy); bare SHA-256 of the same bytes %.0f /s; ratio %.3f; target >= %.0f: %s%n", f.name(),
                    f.bytes(), f.ours(), f.bare(), f.ratio(), TARGET, f.ours() >= TARGET ? "met" : "NOT met");
            json.add(benchFigure("measured boot: " + f.name() + " (" + f.bytes() / 1024 + " KB) judged per core",
                    f.ours(), f.bare(), "logs/s", f.ratio(), "ours >= " + (int) TARGET + " logs/s per core",
                    f.ours() >= TARGET, "limit: bare SHA-256 of the same bytes, same thread, per CPU-second of it; median of " + ROUNDS
                            + " alternating rounds"));
        }
        writeBenchFigures("server-enroll-eventlog", json.toArray(String[]::new));
    }

    private static Figure measure(String name, byte[] log, BootPolicy policy) throws Exception {
        EventLog parsed = EventLog.parse(log);
        HashAlgorithm bank = parsed.banks().contains(HashAlgorithm.SHA256) ? HashAlgorithm.SHA256 : HashAlgorithm.SHA1;
        SortedMap<Integer, byte[]> quoted = new TreeMap<>();
        for (int pcr : policy.replayPcrs()) {
            quoted.put(pcr, parsed.replay().value(bank, pcr));
        }
        BootVerdict v = BootJudge.judge(policy, Optional.of(log), bank, quoted, Optional.empty(), new TreeMap<>());
        assertEquals(BootVerdict.Result.PASSED, v.result(), name + ": " + v.message());
        warm(log, policy, bank, quoted);
        double[] ratios = new double[ROUNDS];
        double[] ours = new double[ROUNDS];
        double[] bare = new double[ROUNDS];
        for (int r = 0; r < ROUNDS; r++) {
            ours[r] = rate(() -> BootJudge.judge(policy, Optional.of(log), bank, quoted, Optional.empty(),
                    new TreeMap<>()));
            bare[r] = rate(() -> sha256(log));
            ratios[r] = ours[r] / bare[r];
        }
        return new Figure(name, log.length, median(ours), median(bare), median(ratios));
    }

    private static void warm(byte[] log, BootPolicy policy, HashAlgorithm bank, SortedMap<Integer, byte[]> quoted) {
        long end = System.nanoTime() + 3 * ROUND_NANOS;
        while (System.nanoTime() < end) {
            BootJudge.judge(policy, Optional.of(log), bank, quoted, Optional.empty(), new TreeMap<>());
            sha256(log);
        }
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Operations per CPU-second of this thread (its own CPU time, so other load on the machine, which takes the core
     * away between operations, does not count against either side); the clock is read every 16 operations.
     */
    private static double rate(Runnable work) {
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long start = threads.getCurrentThreadCpuTime();
        long n = 0;
        long spent;
        do {
            for (int i = 0; i < 16; i++) {
                work.run();
            }
            n += 16;
            spent = threads.getCurrentThreadCpuTime() - start;
        } while (spent < ROUND_NANOS);
        return n * 1e9 / spent;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /** The log inside go-attestation's windows_gcp_shielded_vm.json (its "Raw" field). */
    private static byte[] windowsLog() throws Exception {
        String json = Files.readString(LOGS.resolve("go-attestation/windows_gcp_shielded_vm.json"));
        Matcher m = Pattern.compile("\"Raw\"\\s*:\\s*\"([^\"]+)\"").matcher(json);
        if (!m.find()) throw new IllegalStateException("no Raw log in windows_gcp_shielded_vm.json");
        return Base64.getDecoder().decode(m.group(1));
    }
}
