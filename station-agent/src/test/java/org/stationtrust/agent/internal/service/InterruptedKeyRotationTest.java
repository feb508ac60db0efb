package org.stationtrust.agent.internal.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stationtrust.agent.internal.config.ConfigLoader;
import org.stationtrust.agent.internal.identity.StationState.EnrollmentPhase;
import org.stationtrust.agent.internal.identity.StationState;
import org.stationtrust.agent.internal.server.RequestSigning;
import org.stationtrust.agent.internal.server.ServerRefused;
import org.stationtrust.agent.testing.AgentClient;
import org.stationtrust.agent.testing.AgentProcess;
import org.stationtrust.agent.testing.RotationProxy;
import org.stationtrust.testsupport.FreePorts;
import org.stationtrust.tpm.IdentityConfig;
import org.stationtrust.tpm.MachineIdentity;
import org.stationtrust.tpm.TpmConnection;

/**
 * Key rotations whose answer is lost, with real parts: swtpm, server-enroll on SQLite, and a real HTTPS proxy
 * between them (posing with the server's certificate, so the agent's pin holds) that loses the rotation request or
 * its answer. The agent must end on the key the server accepts, without re-enrollment.
 */
class InterruptedKeyRotationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ME = "/api/v1/stations/me";
    @TempDir Path dir;
    private RotationRig rig;

    @BeforeEach
    void start() throws Exception {
        rig = new RotationRig(dir);
    }

    @AfterEach
    void stop() {
        if (rig != null) rig.close();
    }

    @Test
    void recoversToTheNewKeyWhenTheServerCommittedTheRotationButItsAnswerWasLost() throws Exception {
        try (RunningAgent agent = RunningAgent.start(rig.enrollingConfig("lost-answer"), Clock.systemUTC())) {
            rig.awaitActive(agent);
            AgentClient client = new AgentClient(agent.apiPort(), agent.apiToken().reveal());
            String oldKeyName = agent.identity().machineKeyNameHex();
            Integer oldHandle = agent.identity().current().config().machineKeyHandle();
            String oldPacket = capture(client, "R-LOST-1");
            Map<String, String> signedByOldKey = presign(agent);
            // Control: the same kind of request, signed by the same key, is accepted before the rotation.
            assertEquals(agent.identity().state().machineId(), rig.direct.me(fixed(presign(agent))).machineId());

            rig.proxy.mode(RotationProxy.Mode.DROP_AFTER_COMMIT);
            client.post("/v1/key-rotation", "{}");
            rig.proxy.mode(RotationProxy.Mode.PASS);
            assertEquals(1, rig.proxy.rotationsCommitted(), "the server committed the rotation (HTTP " + rig.proxy.lastRotationStatus() + ")");

            RotationRig.await("the agent to settle the rotation", () -> !agent.identity().state().rotationPending());
            StationState after = agent.identity().state();
            assertEquals(EnrollmentPhase.ACTIVE, after.phase(), String.valueOf(after.detail()));
            assertNotEquals(oldKeyName, after.machineKeyNameHex(), "the agent signs with the new key");
            assertNotEquals(oldHandle, after.machineKeyHandle(), "the new key lives at the other handle");
            assertEquals(after.machineKeyNameHex(), agent.identity().machineKeyNameHex());
            List<JsonNode> audit = audit(dir.resolve("station/lost-answer-state"));
            assertTrue(has(audit, "machine_key.rotation_resolved", "ADOPTED_NEW_KEY"), "the resolution is in the station audit log");

            // The server refuses the old key: a fresh request it signed before, never sent, is refused now.
            ServerRefused refused = assertThrows(ServerRefused.class, () -> rig.direct.me(fixed(signedByOldKey)));
            assertEquals("signature_invalid", refused.code());
            // Signed calls work with the new key: an attestation passes, a new packet verifies as signed by the current key.
            attestAgain(agent, client);
            assertEquals("current", verify(capture(client, "R-LOST-2")).path("keyStatus").asText());
            assertEquals("retired", verify(oldPacket).path("keyStatus").asText());
        }
    }

    @Test
    void keepsTheOldKeyAndDiscardsTheNewOneWhenTheRotationRequestNeverReachesTheServer() throws Exception {
        try (RunningAgent agent = RunningAgent.start(rig.enrollingConfig("never-sent"), Clock.systemUTC())) {
            rig.awaitActive(agent);
            AgentClient client = new AgentClient(agent.apiPort(), agent.apiToken().reveal());
            String oldKeyName = agent.identity().machineKeyNameHex();
            Integer oldHandle = agent.identity().current().config().machineKeyHandle();

            rig.proxy.mode(RotationProxy.Mode.DROP_BEFORE_SERVER);
            AgentClient.Answer lost = client.post("/v1/key-rotation", "{}");
            rig.proxy.mode(RotationProxy.Mode.PASS);
            assertNotEquals(200, lost.status(), lost.body().toString());
            assertEquals(1, rig.proxy.rotationsSeen());
            assertEquals(0, rig.proxy.rotationsCommitted());

            RotationRig.await("the agent to settle the rotation", () -> !agent.identity().state().rotationPending());
            StationState after = agent.identity().state();
            assertEquals(EnrollmentPhase.ACTIVE, after.phase());
            assertEquals(oldKeyName, after.machineKeyNameHex(), "still the old key");
            assertEquals(oldKeyName, agent.identity().machineKeyNameHex());
            assertEquals(oldHandle, agent.identity().current().config().machineKeyHandle());
            List<JsonNode> audit = audit(dir.resolve("station/never-sent-state"));
            assertTrue(has(audit, "machine_key.rotation_resolved", "KEPT_CURRENT_KEY"), "the resolution is in the station audit log");
            assertTrue(has(audit, "machine_key.rotation_discarded", null), "the pending key is discarded");
            assertTrue(has(audit, "machine_key.evicted", "discarded"), "the pending key is evicted from the TPM");

            assertEquals(after.machineId(), rig.direct.me(fixed(presign(agent))).machineId(), "the server accepts the old key");
            attestAgain(agent, client);
            assertEquals("current", verify(capture(client, "R-NEVER-1")).path("keyStatus").asText());

            // Nothing is left half-done: the next rotation goes through normally.
            AgentClient.Answer rotated = client.post("/v1/key-rotation", "{}");
            assertEquals(200, rotated.status(), rotated.body().toString());
            assertNotEquals(oldKeyName, agent.identity().machineKeyNameHex());
            assertFalse(agent.identity().state().rotationPending());
        }
    }

    @Test
    void settlesARotationInterruptedByKillingTheAgentProcessWhenItStartsAgain() throws Exception {
        KilledMidRotation killed = killMidRotation("killed");
        try (AgentProcess agent = AgentProcess.start(killed.config(), dir.resolve("killed-2.log"))) {
            AgentClient client = agent.awaitReady(killed.state(), killed.port());
            RotationRig.await("the restarted agent to settle the rotation", () -> !StationState.load(killed.state()).rotationPending());
            StationState after = StationState.load(killed.state());
            assertEquals(EnrollmentPhase.ACTIVE, after.phase(), String.valueOf(after.detail()));
            assertEquals(killed.pendingKeyName(), after.machineKeyNameHex(), "the restarted agent signs with the key the server accepted");
            assertNull(after.pendingRotation().orElse(null));
            assertTrue(has(audit(killed.state()), "machine_key.rotation_resolved", "ADOPTED_NEW_KEY"));
            RotationRig.await("a passing attestation signed with the new key", () -> {
                JsonNode status = client.get("/v1/status").body();
                return "PASSED".equals(status.path("lastAttestationResult").asText()) && !status.has("keyRotation");
            });
            assertEquals("current", verify(capture(client, "R-KILL-1")).path("keyStatus").asText());
        }
    }

    @Test
    void asksOnceForReEnrollmentWhenTheServerRefusesTheCurrentKeyAndTheNewOneIsGoneFromTheTpm() throws Exception {
        KilledMidRotation killed = killMidRotation("lost-key");
        // While the agent is down, the committed new key disappears from the TPM (an administrator's tpm2_evictcontrol).
        try (TpmConnection tpm = TpmConnection.open(rig.station.tpm().uri())) {
            MachineIdentity.provision(tpm, IdentityConfig.defaults().withHandles(IdentityConfig.DEFAULT_STORAGE_ROOT,
                    IdentityConfig.DEFAULT_ATTESTATION_KEY, killed.pendingHandle())).evictMachineKey();
        }
        int probesBefore = rig.proxy.requests(ME);
        try (AgentProcess agent = AgentProcess.start(killed.config(), dir.resolve("lost-key-2.log"))) {
            AgentClient client = agent.awaitReady(killed.state(), killed.port());
            RotationRig.await("the agent to give up on the rotation", () -> "REENROLLMENT_REQUIRED".equals(
                    client.get("/v1/status").body().path("enrollment").asText()));
            JsonNode status = client.get("/v1/status").body();
            assertTrue(status.path("detail").asText().contains("enroll this station again"), status.toString());
            assertFalse(status.has("keyRotation"), status.toString());
            assertFalse(StationState.load(killed.state()).rotationPending());
            List<JsonNode> audit = audit(killed.state());
            assertEquals(1, audit.stream().filter(r -> "machine_key.rotation_unresolved".equals(r.path("event").asText())).count());
            assertTrue(has(audit, "machine_key.rotation_resolved", "NEITHER_KEY_ACCEPTED"));
            assertEquals(1, rig.proxy.requests(ME) - probesBefore, "one probe with the current key; the missing key is not tried");
            assertEquals(409, client.post("/v1/key-rotation", "{}").status(), "no rotation from a station that must re-enroll");
        }
    }

    /** An enrolled agent process, SIGKILLed after the server committed its rotation and before it got the answer. */
    private record KilledMidRotation(Path config, Path state, int port, String pendingKeyName, int pendingHandle) {
    }

    private KilledMidRotation killMidRotation(String name) throws Exception {
        int port = FreePorts.loopback();
        Path config = rig.station.productionConfigFile(name, rig.proxy.url(), rig.server.pin());
        Files.writeString(config, Files.readString(config).replace("port: 0", "port: " + port));
        Path state = dir.resolve("station/" + name + "-state");
        String oldKeyName;
        try (RunningAgent enrolling = RunningAgent.start(new ConfigLoader(Map.of("STATION_AGENT_SERVER_ENROLLMENT_TOKEN",
                rig.server.issueEnrollmentToken())).load(config), Clock.systemUTC())) {
            rig.awaitActive(enrolling);
            oldKeyName = enrolling.identity().machineKeyNameHex();
        }
        StationState marked;
        try (AgentProcess agent = AgentProcess.start(config, dir.resolve(name + "-1.log"))) {
            AgentClient client = agent.awaitReady(state, port);
            RotationRig.await("the process to be active", () -> "ACTIVE".equals(client.get("/v1/status").body().path("enrollment").asText()));
            rig.proxy.mode(RotationProxy.Mode.HOLD_AFTER_COMMIT);
            CompletableFuture<Void> asked = CompletableFuture.runAsync(() -> {
                try {
                    client.post("/v1/key-rotation", "{}");
                } catch (Exception expected) {
                    // the agent dies before it answers
                }
            });
            RotationRig.await("the server to commit the rotation", () -> rig.proxy.rotationsCommitted() == 1);
            marked = StationState.load(state);
            assertTrue(marked.rotationPending(), "the pending rotation is on disk before the answer");
            assertEquals(oldKeyName, marked.machineKeyNameHex());
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(state.resolve(StationState.FILE))));
            agent.kill();
            asked.handle((v, e) -> null).get();
        }
        rig.proxy.mode(RotationProxy.Mode.PASS);
        rig.proxy.release();
        return new KilledMidRotation(config, state, port, marked.pendingRotation().orElseThrow().keyNameHex(), marked.pendingRotation().orElseThrow().handle());
    }

    private static void attestAgain(RunningAgent agent, AgentClient client) throws Exception {
        java.util.Optional<java.time.Instant> before = agent.identity().state().lastAttestedAt();
        assertEquals(202, client.post("/v1/attestations", "{}").status());
        RotationRig.await("a new passing attestation", () -> !before.equals(agent.identity().state().lastAttestedAt())
                && agent.identity().state().attestationPassed());
    }

    /** Headers for GET /api/v1/stations/me signed now by the agent's current key, to be sent later. */
    private static Map<String, String> presign(RunningAgent agent) {
        return agent.identity().requestSigning(Clock.systemUTC()).headers("GET", ME, new byte[0]);
    }

    private static RequestSigning fixed(Map<String, String> headers) {
        return (method, path, body) -> headers;
    }

    private static String capture(AgentClient client, String registration) throws Exception {
        AgentClient.Answer a = client.post("/v1/captures", "{\"modality\":\"Face\",\"deviceSubId\":0,\"consentReference\":\"consent-rot\","
                + "\"registrationId\":\"" + registration + "\",\"operator\":\"op-1\"}");
        assertEquals(200, a.status(), a.body().toString());
        return a.body().path("packet").asText();
    }

    private JsonNode verify(String packet) throws Exception {
        return rig.server.admin("POST", "/api/v1/packets/verify", "{\"packet\":\"" + packet + "\"}");
    }

    private static List<JsonNode> audit(Path stateDir) throws Exception {
        List<JsonNode> records = new java.util.ArrayList<>();
        for (String line : Files.readAllLines(stateDir.resolve("audit.jsonl"))) {
            if (!line.isBlank()) records.add(JSON.readTree(line));
        }
        return records;
    }

    private static boolean has(List<JsonNode> audit, String event, String containing) {
        return audit.stream().anyMatch(r -> event.equals(r.path("event").asText())
                && (containing == null || r.toString().contains(containing)));
    }
}
