package org.stationtrust.sbi.client;

import static org.stationtrust.bench.BenchFigures.benchFigure;
import static org.stationtrust.bench.BenchFigures.writeBenchFigures;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.stationtrust.sbi.client.internal.SbiRequests;
import org.stationtrust.sbi.client.testing.SimulatorRig;
import org.stationtrust.sbi.simulator.DeviceKind;

/**
 * Benchmark (not a test): on one simulator run, a verified 4-finger RCAPTURE through sbi-client
 * against the same request sent by a bare OkHttp client that skips every check (target ratio at most
 * 1.15), and a full discovery of 4501-4600 with three devices (target under 1 s). Command in README.
 */
public final class SbiClientBenchmark {
    private static final double RATIO_LIMIT = 1.15;
    private static final double DISCOVERY_LIMIT_MS = 1000;
    private static final MediaType JSON = MediaType.get("application/json");

    private SbiClientBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int perRound = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        try (SimulatorRig rig = SimulatorRig.start()) {
            Device slap = rig.device(DeviceKind.FINGER_SLAP);
            OkHttpClient bare = new OkHttpClient();
            CaptureRequest request = CaptureRequest.fingers(1, List.of());

            for (int i = 0; i < 300; i++) {
                verified(rig.client, slap, request);
                bareCapture(bare, slap, request);
            }
            List<Double> ours = new ArrayList<>();
            List<Double> theirs = new ArrayList<>();
            List<Double> pairedRatios = new ArrayList<>();
            List<Double> cpuRatios = new ArrayList<>();
            for (int r = 0; r < rounds; r++) {
                // Interleave (ABBA) so both clients see the same machine state; pair rounds for the ratio.
                boolean bareFirst = r % 2 == 0;
                double b1 = bareFirst ? timePerCall(perRound, () -> bareCapture(bare, slap, request)) : 0;
                double o = timePerCall(perRound, () -> verified(rig.client, slap, request));
                double b2 = bareFirst ? 0 : timePerCall(perRound, () -> bareCapture(bare, slap, request));
                double b = bareFirst ? b1 : b2;
                ours.add(o);
                theirs.add(b);
                pairedRatios.add(o / b);
                // Process CPU time (simulator and client share this JVM) does not count time spent
                // waiting for a core, so it stays meaningful on a loaded machine.
                double cb = cpuPerCall(perRound, () -> bareCapture(bare, slap, request));
                double co = cpuPerCall(perRound, () -> verified(rig.client, slap, request));
                cpuRatios.add(co / cb);
            }
            double oursMs = median(ours);
            double bareMs = median(theirs);
            double ratio = median(pairedRatios);

            for (int i = 0; i < 5; i++) {
                rig.discover();
            }
            List<Double> discovery = new ArrayList<>();
            int found = 0;
            for (int i = 0; i < 15; i++) {
                long start = System.nanoTime();
                found = rig.discover().trusted().size();
                discovery.add((System.nanoTime() - start) / 1e6);
            }
            double discoveryMs = median(discovery);
            double cpuRatio = median(cpuRatios);
            double discoveryMax = Collections.max(discovery);

            System.out.printf(Locale.ROOT, "sbi-client benchmark (%d rounds x %d captures each way, medians of round means; load %.1f on %d cores)%n",
                    rounds, perRound, java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                            .getSystemLoadAverage(), Runtime.getRuntime().availableProcessors());
            System.out.printf(Locale.ROOT, "  verified 4-finger RCAPTURE via sbi-client : %8.3f ms%n", oursMs);
            System.out.printf(Locale.ROOT, "  same request, bare OkHttp, no checks       : %8.3f ms%n", bareMs);
            System.out.printf(Locale.ROOT, "  ratio (median of paired rounds)            : %8.3f   (limit %.2f) %s"
                    + "   [rounds: min %.3f, max %.3f]%n", ratio, RATIO_LIMIT, ratio <= RATIO_LIMIT ? "OK" : "OVER LIMIT",
                    Collections.min(pairedRatios), Collections.max(pairedRatios));
            System.out.printf(Locale.ROOT, "  CPU-time ratio (process CPU per capture)   : %8.3f   (limit %.2f) %s"
                    + "   [rounds: min %.3f, max %.3f]%n", cpuRatio, RATIO_LIMIT,
                    cpuRatio <= RATIO_LIMIT ? "OK" : "OVER LIMIT", Collections.min(cpuRatios), Collections.max(cpuRatios));
            System.out.printf(Locale.ROOT, "  discovery 4501-4600, %d devices            : %8.1f ms median, %.1f ms max"
                    + "   (limit %.0f ms) %s%n", found, discoveryMs, discoveryMax, DISCOVERY_LIMIT_MS,
                    discoveryMs < DISCOVERY_LIMIT_MS ? "OK" : "OVER LIMIT");
            writeBenchFigures("sbi-client",
                    benchFigure("verified 4-finger RCAPTURE through sbi-client", oursMs, bareMs, "ms", ratio,
                            "ratio <= " + RATIO_LIMIT, ratio <= RATIO_LIMIT, "limit: the same request by a bare OkHttp "
                            + "client, no checks; ratio = median of " + rounds + " paired rounds; CPU-time ratio "
                            + String.format(Locale.ROOT, "%.3f", cpuRatio)),
                    benchFigure("discovery of 4501-4600 with " + found + " devices", discoveryMs, null, "ms", null,
                            "ours < " + (int) DISCOVERY_LIMIT_MS + " ms", discoveryMs < DISCOVERY_LIMIT_MS,
                            "median of 15; max " + String.format(Locale.ROOT, "%.1f", discoveryMax) + " ms"));
        }
    }

    private static void verified(SbiClient client, Device slap, CaptureRequest request) throws Exception {
        CaptureResult r = client.registrationCapture(slap, request, HashChain.start());
        if (r.samples().size() != 4) {
            throw new IllegalStateException("expected 4 samples");
        }
    }

    private static void bareCapture(OkHttpClient bare, Device slap, CaptureRequest request) throws Exception {
        byte[] body = SbiRequests.registrationCapture(slap, request, "Staging", SbiRequests.newTransactionId(),
                Instant.now(), HashChain.START_HEX);
        Request http = new Request.Builder().url("http://127.0.0.1:" + slap.port() + "/capture")
                .method("RCAPTURE", RequestBody.create(body, JSON)).build();
        try (Response response = bare.newCall(http).execute()) {
            if (response.body().bytes().length < 1000) {
                throw new IllegalStateException("short answer");
            }
        }
    }

    private interface Call {
        void run() throws Exception;
    }

    private static double timePerCall(int n, Call call) throws Exception {
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            call.run();
        }
        return (System.nanoTime() - start) / 1e6 / n;
    }

    private static double cpuPerCall(int n, Call call) throws Exception {
        com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean)
                java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long start = os.getProcessCpuTime();
        for (int i = 0; i < n; i++) {
            call.run();
        }
        return (os.getProcessCpuTime() - start) / 1e6 / n;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
