package org.stationtrust.agent.internal.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stationtrust.agent.AgentConfig;
import org.stationtrust.agent.internal.identity.StationState.EnrollmentPhase;
import org.stationtrust.agent.testing.AgentClient;
import org.stationtrust.agent.testing.ServerFixture;
import org.stationtrust.agent.testing.StationFixture;

/**
 * End to end on one machine, all real: swtpm, server-enroll (SQLite, TLS pinned by fingerprint), the SBI
 * simulator, and the agent in production mode: enroll with a one-time token, approval through the server's
 * operator API, attestation, a full registration through the local API, and the server verifies a packet.
 */
class EnrollmentEndToEndTest {
    @TempDir static Path dir;
    private static StationFixture station;
    private static ServerFixture server;

    @BeforeAll
    static void start() throws Exception {
        station = new StationFixture(dir.resolve("station"));
        server = new ServerFixture(Files.createDirectories(dir.resolve("server")), station.tpm().caDirectory(), Duration.ofHours(1));
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
        if (station != null) station.close();
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what);
            Thread.sleep(100);
        }
    }

    private static String order(String modality, int subId, String registration) {
        return "{\"modality\":\"" + modality + "\",\"deviceSubId\":" + subId + ",\"consentReference\":\"consent-e2e\","
                + "\"registrationId\":\"" + registration + "\",\"operator\":\"op-1\"}";
    }

    @Test
    void enrollsIsApprovedAttestsAndCapturesAFullRegistrationTheServerVerifies() throws Exception {
        AgentConfig config = station.productionConfig("station-e2e", server.url(), server.pin(),
                Map.of("STATION_AGENT_SERVER_ENROLLMENT_TOKEN", server.issueEnrollmentToken()));
        try (RunningAgent agent = RunningAgent.start(config, Clock.systemUTC())) {
            await("enrollment to reach PENDING_APPROVAL", () -> agent.identity().state().phase() == EnrollmentPhase.PENDING_APPROVAL);
            String machineId = agent.identity().state().machineId();
            AgentClient client = new AgentClient(agent.apiPort(), agent.apiToken().reveal());
            AgentClient.Answer early = client.post("/v1/captures", order("Face", 0, "R-E2E"));
            assertEquals(409, early.status(), "no capture before approval: " + early.body());

            server.admin("POST", "/api/v1/admin/machines/" + machineId + "/approve", "{\"reason\":\"e2e test\"}");
            await("approval and a passing attestation", () -> agent.identity().state().phase() == EnrollmentPhase.ACTIVE
                    && agent.identity().state().attestationPassed());

            String[][] registration = {{"Finger", "1"}, {"Finger", "2"}, {"Finger", "3"}, {"Iris", "3"}, {"Face", "0"}};
            String lastPacket = null;
            int biometrics = 0;
            for (String[] step : registration) {
                AgentClient.Answer a = client.post("/v1/captures", order(step[0], Integer.parseInt(step[1]), "R-E2E"));
                if (a.status() != 200) throw new AssertionError(a.body() + "\ndevices: " + client.get("/v1/devices").body());
                biometrics += a.body().path("biometrics").size();
                lastPacket = a.body().path("packet").asText();
            }
            assertEquals(4 + 4 + 2 + 2 + 1, biometrics, "both slaps, thumbs, both irises, face");

            JsonNode verdict = server.admin("POST", "/api/v1/packets/verify", "{\"packet\":\"" + lastPacket + "\"}");
            assertTrue(verdict.path("valid").asBoolean(), verdict.toString());
            assertEquals(machineId, verdict.path("machineId").asText());

            JsonNode status = client.get("/v1/status").body();
            assertEquals("ACTIVE", status.path("enrollment").asText());

            // Key rotation: new key at the other handle, certified by the AK, announced with the old key's signature.
            AgentClient.Answer rotated = client.post("/v1/key-rotation", "{}");
            assertEquals(200, rotated.status(), rotated.body().toString());
            AgentClient.Answer after = client.post("/v1/captures", order("Face", 0, "R-E2E-2"));
            assertEquals(200, after.status(), after.body().toString());
            JsonNode fresh = server.admin("POST", "/api/v1/packets/verify", "{\"packet\":\"" + after.body().path("packet").asText() + "\"}");
            assertEquals("current", fresh.path("keyStatus").asText(), fresh.toString());
            JsonNode old = server.admin("POST", "/api/v1/packets/verify", "{\"packet\":\"" + lastPacket + "\"}");
            assertEquals("retired", old.path("keyStatus").asText(), old.toString());

            // Signed calls keep working with the new key: an on-demand attestation passes.
            java.util.Optional<java.time.Instant> before = agent.identity().state().lastAttestedAt();
            assertEquals(202, client.post("/v1/attestations", "{}").status());
            await("a new passing attestation signed with the new key", () -> !before.equals(agent.identity().state().lastAttestedAt())
                    && agent.identity().state().attestationPassed());

            // Revocation: the next attestation is refused, the agent learns it is REVOKED and stops capturing.
            server.admin("POST", "/api/v1/admin/machines/" + machineId + "/revoke", "{\"reason\":\"e2e revocation\"}");
            assertEquals(202, client.post("/v1/attestations", "{}").status());
            await("the agent to see its revocation", () -> agent.identity().state().phase() == EnrollmentPhase.REVOKED);
            AgentClient.Answer refused = client.post("/v1/captures", order("Face", 0, "R-E2E-3"));
            assertEquals(409, refused.status(), refused.body().toString());
            assertEquals("station_not_active", refused.body().path("error").path("code").asText());
        }
    }

    @Test
    void stopsEnrollingOnARefusedTokenSaysWhyAndEnrollsWhenGivenAGoodOne() throws Exception {
        AgentConfig config = station.productionConfig("station-token", server.url(), server.pin(),
                Map.of("STATION_AGENT_SERVER_ENROLLMENT_TOKEN", "ste_not-a-token-the-server-issued"));
        try (RunningAgent agent = RunningAgent.start(config, Clock.systemUTC())) {
            AgentClient client = new AgentClient(agent.apiPort(), agent.apiToken().reveal());
            await("the refusal to show in status", () -> agent.identity().state().detail() != null);
            JsonNode status = client.get("/v1/status").body();
            assertEquals("NOT_ENROLLED", status.path("enrollment").asText());
            assertTrue(status.path("detail").asText().contains("enrollment_token_invalid"), status.toString());

            AgentClient.Answer enrolled = client.post("/v1/enrollment", "{\"token\":\"" + server.issueEnrollmentToken() + "\"}");
            assertEquals(200, enrolled.status(), enrolled.body().toString());
            assertEquals("PENDING_APPROVAL", enrolled.body().path("enrollment").asText());
            String audit = Files.readString(agent.stateDirectory().resolve("audit.jsonl"));
            assertTrue(audit.contains("enrollment.refused") && audit.contains("enrollment.activated"));
            assertTrue(!audit.contains("ste_"), "no enrollment token in the audit log");
        }
    }

    @Test
    void enrollsFromTheCommandLineWithATokenFileWhenNoAgentRuns() throws Exception {
        Path config = station.productionConfigFile("station-cli", server.url(), server.pin());
        Path token = dir.resolve("enrollment-token");
        Files.writeString(token, server.issueEnrollmentToken());
        Files.setPosixFilePermissions(token, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        int code = org.stationtrust.agent.Main.run(new java.io.PrintWriter(out, true), new java.io.PrintWriter(err, true),
                "--config", config.toString(), "enroll", "--token-file", token.toString());
        assertEquals(0, code, out + "\n" + err);
        assertTrue(out.toString().contains("state PENDING_APPROVAL"), out.toString());
        java.io.StringWriter status = new java.io.StringWriter();
        assertEquals(0, org.stationtrust.agent.Main.run(new java.io.PrintWriter(status, true), new java.io.PrintWriter(err, true),
                "--config", config.toString(), "status"));
        assertTrue(status.toString().contains("enrollment: PENDING_APPROVAL"), status.toString());
    }
}
