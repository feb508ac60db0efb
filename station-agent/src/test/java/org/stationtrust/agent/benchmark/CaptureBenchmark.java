package org.stationtrust.agent.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.stationtrust.agent.internal.api.ApiToken;
import org.stationtrust.agent.testing.AgentClient;
import org.stationtrust.agent.testing.StationFixture;
import org.stationtrust.sbi.client.CaptureRequest;
import org.stationtrust.sbi.client.Device;
import org.stationtrust.sbi.client.DeviceTrustStore;
import org.stationtrust.sbi.client.Modality;
import org.stationtrust.sbi.client.Registration;
import org.stationtrust.sbi.client.SbiClient;
import org.stationtrust.sbi.client.SbiClientConfig;
import org.stationtrust.tpm.IdentityConfig;
import org.stationtrust.tpm.MachineIdentity;
import org.stationtrust.tpm.TpmConnection;

/**
 * Benchmark, not a timed test: runs only with -Dstation.benchmark=true and prints its figures (README.md,
 * "Benchmark"). The agent runs as its own process (java ... Main run) against swtpm and the SBI simulator.
 */
@EnabledIfSystemProperty(named = "station.benchmark", matches = "true")
class CaptureBenchmark {
    private static final int WARMUP = 10;
    private static final int ROUNDS = 40;
    @TempDir Path dir;

    @Test
    void measuresCaptureToPacketOverheadAndResidentMemory() throws Exception {
        List<String> report = new ArrayList<>();
        try (StationFixture station = new StationFixture(dir)) {
            List<Double> sign = new ArrayList<>();
            try (TpmConnection tpm = TpmConnection.open(station.tpm().uri())) {
                MachineIdentity identity = MachineIdentity.provision(tpm, IdentityConfig.defaults());
                for (int i = 0; i < WARMUP + ROUNDS; i++) {
                    long t = System.nanoTime();
                    identity.machineKey().signJose(new byte[] {(byte) i});
                    if (i >= WARMUP) sign.add(ms(t));
                }
            }
            List<Double> bare = new ArrayList<>();
            try (SbiClient sbi = new SbiClient(SbiClientConfig.builder(DeviceTrustStore.fromPemDirectory(station.trustStore()))
                    .ports(station.devices().all().get(0).port(), station.devices().all().get(2).port()).build())) {
                Device face = sbi.discover().first(Modality.FACE).orElseThrow();
                Registration registration = sbi.newRegistration();
                for (int i = 0; i < WARMUP + ROUNDS; i++) {
                    long t = System.nanoTime();
                    registration.capture(face, CaptureRequest.face());
                    if (i >= WARMUP) bare.add(ms(t));
                }
            }
            int port = freePort();
            Path config = station.writeConfig("bench", "").resolveSibling("bench.yaml");
            Files.writeString(config, Files.readString(config).replace("port: 0", "port: " + port));
            long launched = System.nanoTime();
            Process agent = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), "org.stationtrust.agent.Main", "--config", config.toString(), "run")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("agent.log").toFile()).start();
            try {
                AgentClient client = awaitReady(agent, dir.resolve("bench-state"), port);
                double coldStart = ms(launched);
                long idleRss = rssKb(agent.pid());
                long signaturesBefore = client.get("/v1/status").body().path("tpmSignatures").asLong();
                List<Double> viaAgent = new ArrayList<>();
                long peakRss = idleRss;
                for (int i = 0; i < WARMUP + ROUNDS; i++) {
                    long t = System.nanoTime();
                    AgentClient.Answer a = client.post("/v1/captures",
                            "{\"modality\":\"Face\",\"consentReference\":\"bench\",\"registrationId\":\"B-1\"}");
                    if (i >= WARMUP) viaAgent.add(ms(t));
                    assertEquals(200, a.status(), a.body().toString());
                    if (i % 10 == 0) peakRss = Math.max(peakRss, rssKb(agent.pid()));
                }
                long signatures = client.get("/v1/status").body().path("tpmSignatures").asLong() - signaturesBefore;
                report.add(String.format(Locale.ROOT, "rounds                         %d (after %d warm-up), Face capture, 1 biometric", ROUNDS, WARMUP));
                report.add(String.format(Locale.ROOT, "TPM machine-key signature      median %.1f ms  p95 %.1f ms", median(sign), p95(sign)));
                report.add(String.format(Locale.ROOT, "bare sbi-client capture        median %.1f ms  p95 %.1f ms", median(bare), p95(bare)));
                report.add(String.format(Locale.ROOT, "POST /v1/captures via agent    median %.1f ms  p95 %.1f ms", median(viaAgent), p95(viaAgent)));
                report.add(String.format(Locale.ROOT, "agent overhead (median)        %.1f ms = TPM signature %.1f ms + %.1f ms other (target <= 5 ms)",
                        median(viaAgent) - median(bare), median(sign), median(viaAgent) - median(bare) - median(sign)));
                report.add(String.format(Locale.ROOT, "TPM signatures per packet      %.2f", signatures / (double) (WARMUP + ROUNDS)));
                report.add(String.format(Locale.ROOT, "agent cold start to ready      %.0f ms (JVM start, TPM provision/unseal, API up)", coldStart));
                report.add(String.format(Locale.ROOT, "agent resident memory          idle %d MB, during captures %d MB (target < 256 MB)",
                        idleRss / 1024, peakRss / 1024));
                double via = median(viaAgent);
                double direct = median(bare);
                double tpmSign = median(sign);
                double perPacket = signatures / (double) (WARMUP + ROUNDS);
                writeBenchFigures("station-agent",
                        benchFigure("capture-to-signed-packet through the agent (Face)", via, direct, "ms", via / direct,
                                "ours - limit <= 1 TPM signature + 5 ms", via - direct <= tpmSign + 5,
                                String.format(Locale.ROOT, "limit: the same capture by sbi-client directly; overhead %.1f ms "
                                        + "= TPM signature %.1f ms + %.1f ms other (HTTP hop, JSON, audit fdatasync)",
                                        via - direct, tpmSign, via - direct - tpmSign)),
                        benchFigure("TPM signatures per packet", perPacket, 1.0, "signatures", perPacket, "ours = 1",
                                Math.abs(perPacket - 1) < 1e-9, "from the agent's own TPM signature counter"),
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

    /** One figure in the common schema scripts/bench aggregates (docs/performance.md); null = not applicable. */
    static String benchFigure(String figure, double ours, Double limit, String unit, Double ratio, String target,
                              Boolean met, String note) {
        return "{\"figure\":" + jsonString(figure) + ",\"ours\":" + jsonNumber(ours) + ",\"limit\":" + jsonNumber(limit)
                + ",\"unit\":" + jsonString(unit) + ",\"ratio\":" + jsonNumber(ratio) + ",\"target\":" + jsonString(target)
                + ",\"met\":" + met + ",\"note\":" + jsonString(note) + "}";
    }

    /** Writes {@code <bench.out>/<module>.json} (default target/bench) for scripts/bench. */
    static void writeBenchFigures(String module, String... figures) throws java.io.IOException {
        java.nio.file.Path dir = java.nio.file.Path.of(System.getProperty("bench.out", "target/bench"));
        java.nio.file.Files.createDirectories(dir);
        java.nio.file.Path file = dir.resolve(module + ".json");
        java.nio.file.Files.writeString(file, "{\"module\":" + jsonString(module) + ",\"figures\":[\n  "
                + String.join(",\n  ", figures) + "\n]}\n");
        System.out.println("figures written to " + file.toAbsolutePath());
    }

    private static String jsonNumber(Double value) {
        return value == null || value.isNaN() || value.isInfinite() ? "null"
                : String.format(java.util.Locale.ROOT, "%.4f", value);
    }

    private static String jsonString(String value) {
        return value == null ? "null" : "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
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

    private static long rssKb(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
        return -1;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static double ms(long start) {
        return (System.nanoTime() - start) / 1e6;
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
}
