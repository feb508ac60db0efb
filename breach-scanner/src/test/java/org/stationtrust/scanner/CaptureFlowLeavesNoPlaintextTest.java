package org.stationtrust.scanner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stationtrust.agent.AgentConfig;
import org.stationtrust.agent.StationAgent;
import org.stationtrust.sbi.simulator.DeviceKind;
import org.stationtrust.sbi.simulator.SimulatedDevices;
import org.stationtrust.sbi.simulator.SimulatorConfig;
import org.stationtrust.scanner.testing.PinnedHttps;
import org.stationtrust.server.EnrollmentServer;
import org.stationtrust.server.ServerCommand;
import org.stationtrust.server.ServerConfig;
import org.stationtrust.tpm.simulator.SoftwareTpm;

/**
 * What CI runs the scanner over: a real station (swtpm, the SBI simulator, the agent in production mode)
 * enrolls with a one-time token at a real server (SQLite, TLS), is approved, attests, and captures a full
 * registration (both slaps, thumbs, both irises, face); the server verifies a packet. Then the server
 * database, the agent's state directory (queue.db, audit log, station.json) and both services' logs are
 * scanned, with the admin password, the operator token and the local API token listed: nothing may be found.
 * A positive control proves the captured biometrics are visible to the scanner when they are in plaintext.
 */
class CaptureFlowLeavesNoPlaintextTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADMIN_PASSWORD = "correct horse battery staple for the breach scan";
    @TempDir Path dir;

    @Test
    void aFullEnrollmentAndRegistrationLeavesNoBiometricOrSecretInPlaintext() throws Exception {
        Path logs = Path.of(System.getProperty("breach.e2e.logs", "target/e2e-logs"));
        // Kept under target/ (not the temp dir) so scripts/test can run the command-line scanner over it after the build.
        Path work = Path.of(System.getProperty("breach.e2e.work", "target/e2e-work"));
        deleteTree(work);
        Path serverDir = Files.createDirectories(work.resolve("server"));
        Path stateDir = work.resolve("agent-state");
        String jdbc = "jdbc:sqlite:" + serverDir.resolve("server.db");
        List<String> listed = new ArrayList<>(List.of(ADMIN_PASSWORD));
        List<JsonNode> captures = new ArrayList<>();

        try (SoftwareTpm tpm = SoftwareTpm.start(dir.resolve("tpm"))) {
            int base = 10000 + ThreadLocalRandom.current().nextInt(20000);
            try (SimulatedDevices devices = SimulatedDevices.start(SimulatorConfig.builder(DeviceKind.FINGER_SLAP).firstFreePortIn(base, base + 200).build())) {
                Path trust = Files.createDirectories(dir.resolve("device-ca"));
                devices.all().get(0).writeDeviceProviderCaPem(trust.resolve("provider.pem"));
                int first = devices.all().stream().mapToInt(d -> d.port()).min().orElseThrow();
                int last = devices.all().stream().mapToInt(d -> d.port()).max().orElseThrow();

                ServerConfig config = ServerConfig.builder(jdbc).bind("127.0.0.1", 0).tls(ServerConfig.TlsMode.DEV_SELF_SIGNED)
                        .ekTrustStore(tpm.caDirectory()).attestationInterval(Duration.ofHours(1)).requireEnrollmentToken(true).build();
                EnrollmentServer.migrate(config);
                Path passwordFile = Files.writeString(serverDir.resolve("admin-password"), ADMIN_PASSWORD);
                Files.setPosixFilePermissions(passwordFile, PosixFilePermissions.fromString("rw-------"));
                cli("user", "add", "admin", "--role", "admin", "--password-file", passwordFile.toString(), "--db", jdbc);
                Files.delete(passwordFile);
                String adminToken = cli("token", "issue", "--user", "admin", "--db", jdbc);
                String enrollmentToken = cli("token", "issue", "--enrollment", "--db", jdbc);
                listed.add(adminToken);

                try (EnrollmentServer server = EnrollmentServer.start(config)) {
                    HttpClient https = PinnedHttps.client(server.tlsFingerprint().orElseThrow());
                    AgentConfig agentConfig = new AgentConfig(AgentConfig.Mode.PRODUCTION, stateDir, "station-breach-scan",
                            new AgentConfig.Server(Optional.of(URI.create(server.baseUrl())), List.of(org.stationtrust.agent.PublicKeyPin.parse(server.tlsPublicKeyPin().orElseThrow())),
                                    Optional.of(new AgentConfig.Secret(enrollmentToken)), Duration.ofSeconds(10), Duration.ofHours(1)),
                            new AgentConfig.Tpm(Optional.of(tpm.uri()), List.of(0, 1, 2, 3, 4, 5, 6, 7)),
                            new AgentConfig.Devices(Optional.of(trust), first, last, Duration.ofSeconds(300), "Staging"), // the simulator is registered for Staging
                            new AgentConfig.Api(0, Optional.empty(), 64 * 1024),
                            new AgentConfig.Queue(Duration.ofMillis(50), Duration.ofSeconds(1)));
                    try (StationAgent agent = StationAgent.start(agentConfig)) {
                        String apiToken = Files.readString(agent.apiTokenFile()).strip();
                        listed.add(apiToken);
                        Local local = new Local(agent.apiPort(), apiToken);
                        JsonNode status = await("PENDING_APPROVAL", local);
                        String machineId = status.path("machineId").asText();
                        call(https, server.baseUrl(), adminToken, "/api/v1/admin/machines/" + machineId + "/approve", "{\"reason\":\"breach scan test\"}");
                        await("ACTIVE", local);

                        String[][] registration = {{"Finger", "1"}, {"Finger", "2"}, {"Finger", "3"}, {"Iris", "3"}, {"Face", "0"}};
                        for (String[] step : registration) {
                            HttpResponse<String> r = local.post("/v1/captures", "{\"modality\":\"" + step[0] + "\",\"deviceSubId\":" + step[1]
                                    + ",\"consentReference\":\"consent-breach\",\"registrationId\":\"R-BREACH-1\",\"operator\":\"op-1\"}");
                            assertEquals(200, r.statusCode(), r.body());
                            captures.add(JSON.readTree(r.body()));
                        }
                        JsonNode verdict = call(https, server.baseUrl(), adminToken, "/api/v1/packets/verify",
                                "{\"packet\":\"" + captures.get(captures.size() - 1).path("packet").asText() + "\"}");
                        assertTrue(verdict.path("valid").asBoolean(), verdict.toString());
                    }
                }
            }
        }

        // The values scripts/test looks for again with the command-line scanner (test-made, kept out of the scanned paths).
        Path secrets = work.resolve("listed-secrets.txt");
        Files.writeString(secrets, String.join("\n", listed) + "\n");
        Files.setPosixFilePermissions(secrets, PosixFilePermissions.fromString("rw-------"));

        List<Path> logFiles = List.of(logs.resolve("station-agent.log"), logs.resolve("server-enroll.log"));
        ScanReport report = BreachScanner.withListedSecrets(listed).scan(new ScanTargets(List.of(serverDir.resolve("server.db")), List.of(),
                List.of(stateDir), logFiles, List.of("api-token")));
        System.out.println(report.render());

        assertEquals(List.of(), report.findings(), report.render());
        assertTrue(Files.exists(stateDir.resolve("queue.db")), "the agent's queue was scanned");
        assertTrue(report.databaseCells() > 50, "cells scanned: " + report.databaseCells());
        assertTrue(Files.size(logFiles.get(1)) > 0 && Files.size(logFiles.get(0)) > 0, "both services logged");
        assertEquals(List.of("excluded by name: " + stateDir.resolve("api-token")), report.skipped());

        // Positive control: the same scanner sees this flow's biometrics once they are stored as they were answered.
        Path leaked = Files.writeString(dir.resolve("leaked-captures.json"), captures.toString());
        ScanReport control = BreachScanner.withListedSecrets(listed).scan(new ScanTargets(List.of(), List.of(), List.of(), List.of(leaked)));
        for (FindingKind kind : List.of(FindingKind.ISO_19794_4_FINGER, FindingKind.ISO_19794_6_IRIS, FindingKind.ISO_19794_5_FACE)) {
            assertTrue(control.findings().stream().anyMatch(f -> f.kind() == kind), kind + " not seen in the capture answers:\n" + control.render());
        }
    }

    private static void deleteTree(Path root) throws java.io.IOException {
        if (!Files.exists(root)) return;
        try (var walk = Files.walk(root)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }

    /** The local API of the agent, plain HTTP on 127.0.0.1 with its bearer token. */
    private record Local(int port, String token) {
        HttpResponse<String> get(String path) throws Exception {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        }

        HttpResponse<String> post(String path, String body) throws Exception {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json").timeout(Duration.ofSeconds(60))
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    private static JsonNode await(String phase, Local local) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (true) {
            JsonNode status = JSON.readTree(local.get("/v1/status").body());
            boolean attested = !phase.equals("ACTIVE") || "PASSED".equals(status.path("lastAttestationResult").asText());
            if (phase.equals(status.path("enrollment").asText()) && attested) return status;
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + phase + ": " + status);
            Thread.sleep(100);
        }
    }

    private static JsonNode call(HttpClient https, String base, String adminToken, String path, String body) throws Exception {
        HttpResponse<String> r = https.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + adminToken).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) throw new AssertionError(path + " -> " + r.statusCode() + " " + r.body());
        return JSON.readTree(r.body());
    }

    /** Runs the server's own CLI and returns the last line it printed (a token). */
    private static String cli(String... args) {
        PrintStream saved = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            int code = ServerCommand.run(args);
            if (code != 0) throw new IllegalStateException("server-enroll " + args[0] + " exited " + code);
        } finally {
            System.setOut(saved);
        }
        String[] lines = captured.toString(StandardCharsets.UTF_8).strip().split("\n");
        return lines[lines.length - 1].strip();
    }
}
