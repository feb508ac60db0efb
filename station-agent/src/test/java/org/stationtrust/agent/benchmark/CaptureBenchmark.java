package org.stationtrust.agent.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.stationtrust.bench.BenchFigures.benchFigure;
import static org.stationtrust.bench.BenchFigures.writeBenchFigures;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.stationtrust.agent.internal.api.ApiToken;
import org.stationtrust.agent.testing.AgentClient;
import org.stationtrust.agent.testing.DroppingReceiver;
import org.stationtrust.agent.testing.StationFixture;
import org.stationtrust.sbi.client.CaptureRequest;
import org.stationtrust.sbi.client.CaptureResult;
import org.stationtrust.sbi.client.Device;
import org.stationtrust.sbi.client.DeviceTrustStore;
import org.stationtrust.sbi.client.HashChain;
import org.stationtrust.sbi.client.Modality;
import org.stationtrust.sbi.client.SbiClient;
import org.stationtrust.sbi.client.SbiClientConfig;
import org.stationtrust.testsupport.FreePorts;
import org.stationtrust.tpm.IdentityConfig;
import org.stationtrust.tpm.MachineIdentity;
import org.stationtrust.tpm.TpmConnection;

/**
 * Benchmark, not a timed test: runs only with -Dstation.benchmark=true and prints its figures (README.md,
 * "Benchmark"). The agent runs as its own process (java ... Main run) against swtpm, the SBI simulator and an
 * acknowledging receiver as its server, so every packet is durably queued and delivered while captures run.
 * Captures through the agent and directly with sbi-client are made in pairs (alternating which goes first), so
 * the machine's load at that moment weighs on both; the overhead is taken per pair.
 */
@EnabledIfSystemProperty(named = "station.benchmark", matches = "true")
class CaptureBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int WARMUP = Integer.getInteger("station.benchmark.warmup", 100);
    private static final int ROUNDS = Integer.getInteger("station.benchmark.rounds", 200);
    private static final String ORDER = "{\"modality\":\"Face\",\"consentReference\":\"bench\",\"registrationId\":\"B-1\"}";
    @TempDir Path dir;

    /** One capture through the agent as the client saw it, with the agent's own steps (Server-Timing). */
    private record ViaAgent(double totalMs, double headersMs, double bodyMs, double parseMs, int bytes, Map<String, Double> agentSteps) {
    }

    @Test
    void measuresCaptureToPacketOverheadAndResidentMemory() throws Exception {
        List<String> report = new ArrayList<>();
        String loadBefore = loadAverage();
        try (StationFixture station = new StationFixture(dir); DroppingReceiver server = new DroppingReceiver()) {
            List<Double> sign = tpmSignatures(station);
            int port = FreePorts.loopback();
            Path config = station.writeConfig("bench", "server:\n  url: " + server.baseUrl() + "\n"
                    + "queue:\n  initial_backoff_ms: 100\n  max_backoff_seconds: 5\n");
            Files.writeString(config, Files.readString(config).replace("port: 0", "port: " + port));
            long launched = System.nanoTime();
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
            // The agent's JVM options as the installer's STATION_AGENT_JVM_OPTIONS would give them (none by default).
            for (String option : agentJvmOptions().trim().split("\\s+")) {
                if (!option.isEmpty()) command.add(option);
            }
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), "org.stationtrust.agent.Main", "--config",
                    config.toString(), "run"));
            Process agent = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("agent.log").toFile()).start();
            try (SbiClient sbi = new SbiClient(SbiClientConfig.builder(DeviceTrustStore.fromPemDirectory(station.trustStore()))
                    .ports(station.devices().all().get(0).port(), station.devices().all().get(2).port()).build())) {
                AgentClient client = awaitReady(agent, dir.resolve("bench-state"), port);
                double coldStart = ms(launched);
                long idleRss = rssKb(agent.pid());
                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
                String token = Files.readString(dir.resolve("bench-state").resolve(ApiToken.FILE_NAME)).trim();
                HttpRequest capture = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/captures"))
                        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                        .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofString(ORDER)).build();
                Device face = sbi.discover().first(Modality.FACE).orElseThrow();
                // The chain of one registration, as a direct caller of sbi-client keeps it.
                AtomicReference<HashChain> chain = new AtomicReference<>(HashChain.start());

                okhttp3.OkHttpClient ok = new okhttp3.OkHttpClient.Builder().proxy(java.net.Proxy.NO_PROXY).build();
                okhttp3.Request okCapture = new okhttp3.Request.Builder().url("http://127.0.0.1:" + port + "/v1/captures")
                        .header("Authorization", "Bearer " + token)
                        .post(okhttp3.RequestBody.create(ORDER.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                                okhttp3.MediaType.get("application/json"))).build();

                JsonNode before = client.get("/v1/status").body();
                List<Double> direct = new ArrayList<>();
                List<ViaAgent> viaOk = new ArrayList<>();
                List<ViaAgent> viaJdk = new ArrayList<>();
                long peakRss = idleRss;
                long cpuBefore = 0;
                long auditRequestsBefore = 0;
                for (int i = 0; i < WARMUP + ROUNDS; i++) {
                    if (i == WARMUP) {
                        cpuBefore = cpuTicks(agent.pid());
                        auditRequestsBefore = client.get("/v1/status").body().path("queue").path("auditRequests").asLong();
                    }
                    double d = 0;
                    ViaAgent o = null;
                    ViaAgent j = null;
                    // Rotate which goes first, so a moment of load falls on each path alike.
                    for (int k = 0; k < 3; k++) {
                        switch ((i + k) % 3) {
                            case 0 -> d = direct(sbi, chain, face);
                            case 1 -> o = viaOkHttp(ok, okCapture);
                            default -> j = viaJdk(http, capture);
                        }
                    }
                    if (i >= WARMUP) {
                        direct.add(d);
                        viaOk.add(o);
                        viaJdk.add(j);
                    }
                    if (i % 10 == 0) peakRss = Math.max(peakRss, rssKb(agent.pid()));
                }
                double agentCpuMs = (cpuTicks(agent.pid()) - cpuBefore) * 1000.0 / clockTicks() / (2.0 * ROUNDS);
                JsonNode after = client.get("/v1/status").body();
                long packets = after.path("packetPath").path("packets").asLong() - before.path("packetPath").path("packets").asLong();
                long tpmOps = after.path("packetPath").path("tpmOperations").asLong()
                        - before.path("packetPath").path("tpmOperations").asLong();
                double perPacket = tpmOps / (double) packets;
                long auditRequests = after.path("queue").path("auditRequests").asLong() - auditRequestsBefore;
                String loadAfter = loadAverage();

                List<Double> okTotal = viaOk.stream().map(ViaAgent::totalMs).toList();
                List<Double> jdkTotal = viaJdk.stream().map(ViaAgent::totalMs).toList();
                List<Double> overhead = new ArrayList<>();
                List<Double> overheadJdk = new ArrayList<>();
                for (int i = 0; i < ROUNDS; i++) {
                    overhead.add(viaOk.get(i).totalMs() - direct.get(i));
                    overheadJdk.add(viaJdk.get(i).totalMs() - direct.get(i));
                }
                List<Double> outsideDevice = new ArrayList<>();
                for (ViaAgent v : viaOk) outsideDevice.add(v.totalMs() - v.agentSteps().getOrDefault("sbiCapture", 0.0));
                double tpmSign = median(sign);
                double limit = tpmSign + 5;
                double overheadP50 = median(overhead);
                boolean met = overheadP50 <= limit;

                report.add(String.format(Locale.ROOT, "rounds                         %d after %d warm-up; each round: one Face capture directly, one"
                        + " through the agent with each client (order rotated); answer %d bytes", ROUNDS, WARMUP, viaOk.get(0).bytes()));
                report.add("load average                   before " + loadBefore + ", after " + loadAfter);
                report.add("agent JVM options              " + agentJvmOptions());
                report.add(String.format(Locale.ROOT, "TPM machine-key signature      p50 %.2f ms  mean %.2f ms  (swtpm, this run)", tpmSign, mean(sign)));
                report.add(String.format(Locale.ROOT, "bare sbi-client capture        p50 %.2f ms  mean %.2f ms  p95 %.2f ms", median(direct), mean(direct), p95(direct)));
                report.add(String.format(Locale.ROOT, "via agent, OkHttp client       p50 %.2f ms  mean %.2f ms  p95 %.2f ms  (sbi-client's HTTP library)",
                        median(okTotal), mean(okTotal), p95(okTotal)));
                report.add(String.format(Locale.ROOT, "via agent, JDK HttpClient      p50 %.2f ms  mean %.2f ms  p95 %.2f ms  (java.net.http)",
                        median(jdkTotal), mean(jdkTotal), p95(jdkTotal)));
                report.add(String.format(Locale.ROOT, "agent overhead (paired)        OkHttp p50 %.2f ms mean %.2f ms; JDK HttpClient p50 %.2f ms mean %.2f ms",
                        overheadP50, mean(overhead), median(overheadJdk), mean(overheadJdk)));
                report.add(String.format(Locale.ROOT, "agent time outside device step  p50 %.2f ms  mean %.2f ms  (OkHttp: client total minus the agent's"
                        + " device capture step; independent of how fast the direct capture ran)", median(outsideDevice), mean(outsideDevice)));
                report.add(String.format(Locale.ROOT, "target                         overhead p50 <= TPM signature %.2f + 5 = %.2f ms: %s (OkHttp), %s (JDK HttpClient)",
                        tpmSign, limit, met ? "met" : "missed", median(overheadJdk) <= limit ? "met" : "missed"));
                report.add(String.format(Locale.ROOT, "TPM operations per packet      %.2f (%d calls into the TPM by the capture path's signer for %d packets)",
                        perPacket, tpmOps, packets));
                report.add(String.format(Locale.ROOT, "audit delivery                 %d signed requests for the audit events of %d captures (batches of up to 100)",
                        auditRequests, 2 * ROUNDS));
                report.add(String.format(Locale.ROOT, "agent CPU per capture          %.2f ms (user+system of the agent process over the measured rounds,"
                        + " delivery to the server included)", agentCpuMs));
                report.add(String.format(Locale.ROOT, "agent cold start to ready      %.0f ms (JVM start, TPM provision/unseal, API up)", coldStart));
                report.add(String.format(Locale.ROOT, "agent resident memory          idle %d MB, during captures %d MB (target < 256 MB)",
                        idleRss / 1024, peakRss / 1024));
                report.add("step breakdown, OkHttp client (p50 / mean ms over the measured rounds; bg.* and store.* overlap the other steps):");
                report.addAll(breakdown(viaOk, direct));
                report.add("step breakdown, JDK HttpClient:");
                report.addAll(breakdown(viaJdk, direct));
                List<Double> viaTotal = okTotal;
                writeBenchFigures("station-agent",
                        benchFigure("capture-to-signed-packet through the agent (Face)", median(viaTotal), median(direct), "ms",
                                median(viaTotal) / median(direct), "paired overhead p50 <= 1 TPM signature + 5 ms", met,
                                String.format(Locale.ROOT, "limit: the same capture by sbi-client directly, paired; OkHttp as the"
                                                + " application's client; overhead p50 %.2f ms"
                                                + " (mean %.2f) vs limit %.2f ms = TPM signature %.2f + 5; time outside the agent's own device capture"
                                                + " p50 %.2f ms; load %s", overheadP50, mean(overhead), limit, tpmSign, median(outsideDevice),
                                        loadAfter)),
                        benchFigure("capture-to-signed-packet through the agent, JDK HttpClient (Face)", median(jdkTotal), median(direct),
                                "ms", median(jdkTotal) / median(direct), "paired overhead p50 <= 1 TPM signature + 5 ms",
                                median(overheadJdk) <= limit, String.format(Locale.ROOT, "the same with java.net.http as the "
                                        + "application's client: overhead p50 %.2f ms (mean %.2f); load %s", median(overheadJdk),
                                        mean(overheadJdk), loadAfter)),
                        benchFigure("TPM operations per packet", perPacket, 1.0, "operations", perPacket, "ours = 1",
                                Math.abs(perPacket - 1) < 1e-9, "calls into the TPM by the capture path's own signer"),
                        benchFigure("agent resident memory during captures", peakRss / 1024.0, null, "MB", null,
                                "ours < 256 MB", peakRss / 1024.0 < 256, "idle " + idleRss / 1024 + " MB (VmRSS)"),
                        benchFigure("agent cold start to ready", coldStart, null, "ms", null, "reported", null,
                                "JVM start, TPM provisioning and unseal, local API up"));
            } finally {
                agent.destroy();
                agent.waitFor();
                Files.copy(dir.resolve("agent.log"), Path.of("target", "benchmark-agent.log"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Path out = Path.of("target", "benchmark.txt");
        Files.write(out, report);
        report.forEach(System.out::println);
    }

    private static List<Double> tpmSignatures(StationFixture station) throws Exception {
        List<Double> sign = new ArrayList<>();
        try (TpmConnection tpm = TpmConnection.open(station.tpm().uri())) {
            MachineIdentity identity = MachineIdentity.provision(tpm, IdentityConfig.defaults());
            for (int i = 0; i < 50 + 200; i++) {
                long t = System.nanoTime();
                identity.machineKey().signJose(new byte[] {(byte) i});
                if (i >= 50) sign.add(ms(t));
            }
        }
        return sign;
    }

    private static double direct(SbiClient sbi, AtomicReference<HashChain> chain, Device face) throws Exception {
        long t = System.nanoTime();
        CaptureResult result = sbi.registrationCapture(face, CaptureRequest.face(), chain.get());
        chain.set(HashChain.continueFrom(result.lastHash()));
        return ms(t);
    }

    private static ViaAgent viaOkHttp(okhttp3.OkHttpClient ok, okhttp3.Request capture) throws Exception {
        long t = System.nanoTime();
        try (okhttp3.Response r = ok.newCall(capture).execute()) {
            long headers = System.nanoTime();
            byte[] bytes = r.body().bytes();
            long body = System.nanoTime();
            JsonNode answer = JSON.readTree(bytes);
            long parsed = System.nanoTime();
            assertEquals(200, r.code(), answer.toString());
            assertEquals(1, answer.path("biometrics").size(), answer.toString());
            Map<String, Double> steps = serverTiming(java.util.Objects.requireNonNullElse(r.header("Server-Timing"), ""));
            return new ViaAgent((parsed - t) / 1e6, (headers - t) / 1e6, (body - headers) / 1e6, (parsed - body) / 1e6,
                    bytes.length, steps);
        }
    }

    private static ViaAgent viaJdk(HttpClient http, HttpRequest capture) throws Exception {
        long t = System.nanoTime();
        long[] headers = new long[1];
        HttpResponse<byte[]> r = http.send(capture, info -> {
            headers[0] = System.nanoTime();
            return HttpResponse.BodySubscribers.ofByteArray();
        });
        long body = System.nanoTime();
        JsonNode answer = JSON.readTree(r.body());
        long parsed = System.nanoTime();
        assertEquals(200, r.statusCode(), answer.toString());
        assertEquals(1, answer.path("biometrics").size(), answer.toString());
        Map<String, Double> steps = serverTiming(r.headers().firstValue("Server-Timing").orElse(""));
        return new ViaAgent((parsed - t) / 1e6, (headers[0] - t) / 1e6, (body - headers[0]) / 1e6, (parsed - body) / 1e6,
                r.body().length, steps);
    }

    /** The agent's steps, then the client's: what the 'other' of the overhead is made of. */
    private static List<String> breakdown(List<ViaAgent> via, List<Double> direct) {
        List<String> lines = new ArrayList<>();
        Map<String, List<Double>> steps = new LinkedHashMap<>();
        for (ViaAgent v : via) v.agentSteps().forEach((k, x) -> steps.computeIfAbsent(k, n -> new ArrayList<>()).add(x));
        steps.forEach((k, xs) -> {
            if (!k.startsWith("cpu")) lines.add(String.format(Locale.ROOT, "  agent %-22s %7.3f / %7.3f", k, median(xs), mean(xs)));
        });
        List<Double> cpu = steps.getOrDefault("cpu", List.of(0.0));
        List<Double> cpuOutside = new ArrayList<>();
        for (ViaAgent v : via) {
            cpuOutside.add(v.agentSteps().getOrDefault("cpu", 0.0) - v.agentSteps().getOrDefault("cpu.sbiCapture", 0.0));
        }
        lines.add(String.format(Locale.ROOT, "  agent request-thread CPU       %7.3f / %7.3f  (of which outside the device capture %.3f / %.3f)",
                median(cpu), mean(cpu), median(cpuOutside), mean(cpuOutside)));
        List<Double> hop = new ArrayList<>();
        for (ViaAgent v : via) hop.add(v.headersMs() - v.agentSteps().getOrDefault("total", 0.0));
        lines.add(String.format(Locale.ROOT, "  client send to headers         %7.3f / %7.3f  (agent total plus the HTTP hop)",
                median(via.stream().map(ViaAgent::headersMs).toList()), mean(via.stream().map(ViaAgent::headersMs).toList())));
        lines.add(String.format(Locale.ROOT, "  client HTTP hop                %7.3f / %7.3f  (send to headers minus the agent's total)", median(hop), mean(hop)));
        lines.add(String.format(Locale.ROOT, "  client headers to body         %7.3f / %7.3f  (rest of the answer's transfer)",
                median(via.stream().map(ViaAgent::bodyMs).toList()), mean(via.stream().map(ViaAgent::bodyMs).toList())));
        lines.add(String.format(Locale.ROOT, "  client JSON parse              %7.3f / %7.3f",
                median(via.stream().map(ViaAgent::parseMs).toList()), mean(via.stream().map(ViaAgent::parseMs).toList())));
        List<Double> sbiDelta = new ArrayList<>();
        for (int i = 0; i < via.size(); i++) sbiDelta.add(via.get(i).agentSteps().getOrDefault("sbiCapture", 0.0) - direct.get(i));
        lines.add(String.format(Locale.ROOT, "  agent sbiCapture - direct      %7.3f / %7.3f  (the same sbi-client work in the agent's JVM)",
                median(sbiDelta), mean(sbiDelta)));
        return lines;
    }

    static Map<String, Double> serverTiming(String header) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (String part : header.split(",")) {
            String[] pieces = part.trim().split(";dur=");
            if (pieces.length == 2) out.put(pieces[0], Double.parseDouble(pieces[1]));
        }
        return out;
    }

    private static AgentClient awaitReady(Process agent, Path stateDir, int port) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (!agent.isAlive()) throw new IllegalStateException("the agent process exited early; see agent.log");
            if (Files.exists(stateDir.resolve(ApiToken.FILE_NAME))) {
                try {
                    AgentClient client = new AgentClient(port, Files.readString(stateDir.resolve(ApiToken.FILE_NAME)).trim());
                    if (client.get("/v1/status").status() == 200) return client;
                } catch (IOException e) {
                    // not listening yet
                }
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("the agent was not ready within 60 s");
    }

    private static String loadAverage() throws IOException {
        String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
        return parts[0] + " " + parts[1] + " " + parts[2];
    }

    private static long rssKb(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
        return -1;
    }

    /** utime + stime of the process, in clock ticks (proc(5)). */
    private static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    private static long clockTicks() {
        return 100; // USER_HZ on Linux
    }


    private static double ms(long start) {
        return (System.nanoTime() - start) / 1e6;
    }

    private static double mean(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    private static double p95(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get((int) Math.ceil(sorted.size() * 0.95) - 1);
    }

    /**
     * The agent's JVM options for the run: -Dstation.benchmark.agentJvmOptions, else the defaults the Debian
     * package's launcher starts the service with (installer/src/deb/station-agent), so the figures are those
     * of the agent as installed.
     */
    static String agentJvmOptions() {
        String chosen = System.getProperty("station.benchmark.agentJvmOptions");
        if (chosen != null) return chosen;
        java.nio.file.Path launcher = java.nio.file.Path.of("..", "installer", "src", "deb", "station-agent");
        try {
            for (String line : java.nio.file.Files.readAllLines(launcher)) {
                if (line.startsWith("defaults=\"") && line.endsWith("\"")) {
                    return line.substring("defaults=\"".length(), line.length() - 1);
                }
            }
        } catch (java.io.IOException e) {
            System.out.println("no package launcher at " + launcher.toAbsolutePath() + ": agent runs with JVM defaults");
        }
        return "";
    }

}
