package org.stationtrust.ctk;

import static org.stationtrust.bench.BenchFigures.benchFigure;
import static org.stationtrust.bench.BenchFigures.writeBenchFigures;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.stationtrust.ctk.internal.testing.SimulatorFixture;
import org.stationtrust.sbi.simulator.DeviceKind;
import org.stationtrust.sbi.simulator.FaultMode;
import org.stationtrust.sbi.simulator.SimulatedDevice;

/**
 * Benchmark, not a timed test (skipped unless -Dctk.benchmark=true): the whole non-interactive
 * catalogue against the simulator's four device/purpose setups, reporting wall time, time waiting
 * on the device and the harness's own share, per round (round 1 includes JVM warm-up).
 *
 * <pre>mvn -B -o -pl ctk-harness test -Dtest=CatalogueBenchmark -Dctk.benchmark=true
 *     [-Dctk.benchmark.rounds=3] [-Dctk.benchmark.captureDelayMs=0]</pre>
 */
class CatalogueBenchmark {
    private static final List<Object[]> SETUPS = List.of(new Object[] {DeviceKind.FINGER_SLAP, "Registration"},
            new Object[] {DeviceKind.IRIS_DOUBLE, "Registration"}, new Object[] {DeviceKind.FACE, "Registration"},
            new Object[] {DeviceKind.FACE, "Auth"});

    /** The iso-19794 finding: "N records read field by field; M images (ENCODINGS) decoded ... (decode X ms per record)". */
    private static final java.util.regex.Pattern DECODE =
            java.util.regex.Pattern.compile("(\\d+) images \\([A-Z0-9, ]*\\) decoded .*\\(decode ([0-9.]+) ms per record\\)");

    @Test
    void wholeAutomaticCatalogue() throws Exception {
        Assumptions.assumeTrue(Boolean.getBoolean("ctk.benchmark"), "benchmark runs only with -Dctk.benchmark=true");
        int rounds = Integer.getInteger("ctk.benchmark.rounds", 3);
        Duration delay = Duration.ofMillis(Integer.getInteger("ctk.benchmark.captureDelayMs", 0));
        for (int round = 1; round <= rounds; round++) {
            double wall = 0;
            double device = 0;
            double harness = 0;
            int cases = 0;
            int records = 0;
            double decodeMs = 0;
            Map<String, RunReport.Latency> latency = new TreeMap<>();
            for (Object[] setup : SETUPS) {
                try (SimulatedDevice d = SimulatorFixture.start((DeviceKind) setup[0], (String) setup[1], FaultMode.NONE, delay)) {
                    RunReport r = SimulatorFixture.runAutomatic(d);
                    assertEquals(0, r.count(CaseResult.Outcome.FAILED), "a healthy simulator fails no case");
                    wall += r.timing().wallMs();
                    device += r.timing().deviceMs();
                    harness += r.timing().harnessMs();
                    cases += (int) r.count(CaseResult.Outcome.PASSED);
                    r.latency().forEach((verb, l) -> latency.merge(verb, l, (a, b) -> a.max() >= b.max() ? a : b));
                    for (CaseResult c : r.results()) {
                        for (CaseResult.CheckResult k : c.checks()) {
                            java.util.regex.Matcher m = DECODE.matcher(k.message());
                            if (k.check().equals("iso-19794") && m.find()) {
                                int n = Integer.parseInt(m.group(1));
                                records += n;
                                decodeMs += n * Double.parseDouble(m.group(2));
                            }
                        }
                    }
                }
            }
            System.out.printf("BENCHMARK round %d captureDelay %d ms: %d cases, wall %.0f ms, device %.0f ms, harness %.0f ms (%.1f%%)%n",
                    round, delay.toMillis(), cases, wall, device, harness, 100 * harness / wall);
            System.out.printf("BENCHMARK round %d ISO decode: %d records, %.1f ms in all, %.2f ms per record%n",
                    round, records, decodeMs, records == 0 ? 0 : decodeMs / records);
            latency.forEach((verb, l) -> System.out.printf("BENCHMARK   %-10s worst setup: n=%d p50 %.1f p90 %.1f p99 %.1f max %.1f ms%n",
                    verb, l.count(), l.p50(), l.p90(), l.p99(), l.max()));
            if (round == rounds) {
                writeBenchFigures("ctk-harness",
                        benchFigure("CTK harness time in the whole non-interactive catalogue", harness, wall, "ms",
                                harness / wall, "ratio < 0.10", harness / wall < 0.10, cases + " cases over the 4 simulator "
                                + "setups (finger, iris, face, face Auth), round " + round + " of " + rounds
                                + "; limit: the run's wall time, of which " + Math.round(device) + " ms waiting on the device"
                                + String.format(java.util.Locale.ROOT, "; ISO records parsed and decoded: %d, %.2f ms per record",
                                records, records == 0 ? 0 : decodeMs / records)));
            }
        }
    }
}
