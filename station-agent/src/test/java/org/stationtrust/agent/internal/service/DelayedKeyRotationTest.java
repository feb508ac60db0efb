package org.stationtrust.agent.internal.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stationtrust.agent.internal.identity.StationState.EnrollmentPhase;
import org.stationtrust.agent.internal.server.RequestSigning;
import org.stationtrust.agent.internal.server.ServerRefused;
import org.stationtrust.agent.testing.AgentClient;
import org.stationtrust.agent.testing.RotationProxy;
import org.stationtrust.protocol.StationRoute;

/**
 * A key-rotation request that is delayed, not lost (docs/server-api.md, "Withdrawing a rotation"), with real parts:
 * swtpm, server-enroll on SQLite, and a real HTTPS proxy that keeps the rotation request, closes the agent's
 * connection, and delivers the request later. Whichever comes first, the agent ends on the key the server accepts.
 */
class DelayedKeyRotationTest {
    private static final String ME = StationRoute.ME.path();
    private static final String WITHDRAWAL = StationRoute.KEY_ROTATION_WITHDRAWAL.path();
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
    void withdrawsTheRotationBeforeDroppingTheNewKeySoTheDelayedRequestIsRefusedWhenItArrives() throws Exception {
        try (RunningAgent agent = RunningAgent.start(rig.enrollingConfig("delayed"), Clock.systemUTC())) {
            rig.awaitActive(agent);
            AgentClient client = new AgentClient(agent.apiPort(), agent.apiToken().reveal());
            String oldKeyName = agent.identity().machineKeyNameHex();

            rig.proxy.mode(RotationProxy.Mode.DELAY_BEFORE_SERVER, 1);
            AgentClient.Answer lost = client.post("/v1/key-rotation", "{}");
            assertNotEquals(200, lost.status(), lost.body().toString());
            assertTrue(rig.proxy.holdsDelayed(), "the rotation request is still on its way");
            assertEquals(1, rig.proxy.requests(WITHDRAWAL), "the agent withdrew the rotation before settling it");
            assertFalse(agent.identity().state().rotationPending());
            assertEquals(oldKeyName, agent.identity().machineKeyNameHex(), "the agent kept its current key");
            List<String> audit = audit("delayed");
            assertTrue(audit.stream().anyMatch(r -> r.contains("machine_key.rotation_resolved") && r.contains("KEPT_CURRENT_KEY")), audit.toString());
            assertTrue(audit.stream().anyMatch(r -> r.contains("machine_key.evicted") && r.contains("discarded")), audit.toString());

            // The delayed request arrives now, within its nonce's lifetime and its timestamp window: refused.
            RotationProxy.DelayedAnswer late = rig.proxy.releaseDelayed();
            assertEquals(403, late.status(), late.body());
            assertTrue(late.body().contains("nonce_invalid"), late.body());
            assertEquals(agent.identity().state().machineId(), rig.direct.me(agent.identity().requestSigning(Clock.systemUTC())).machineId(),
                    "the server still accepts the key the agent kept");
            java.util.Optional<java.time.Instant> before = agent.identity().state().lastAttestedAt();
            assertEquals(202, client.post("/v1/attestations", "{}").status());
            RotationRig.await("a new passing attestation signed with the kept key", () ->
                    !before.equals(agent.identity().state().lastAttestedAt()) && agent.identity().state().attestationPassed());
            assertTrue(rig.server.admin("GET", "/api/v1/admin/audit?limit=500", null).toString().contains("machine.rotation_withdrawn"));
        }
    }

    @Test
    void adoptsTheNewKeyWhenTheDelayedRequestTakesEffectJustBeforeTheWithdrawal() throws Exception {
        try (RunningAgent agent = RunningAgent.start(rig.enrollingConfig("overtaken"), Clock.systemUTC())) {
            rig.awaitActive(agent);
            AgentClient client = new AgentClient(agent.apiPort(), agent.apiToken().reveal());
            String oldKeyName = agent.identity().machineKeyNameHex();
            Map<String, String> signedByOldKey = agent.identity().requestSigning(Clock.systemUTC()).headers("GET", ME, new byte[0]);

            rig.proxy.mode(RotationProxy.Mode.DELAY_BEFORE_SERVER, 1);
            rig.proxy.releaseDelayedBefore(WITHDRAWAL);
            AgentClient.Answer rotated = client.post("/v1/key-rotation", "{}");
            assertEquals(200, rig.proxy.delayedAnswer().status(), "the delayed rotation took effect before the withdrawal");
            assertEquals(200, rotated.status(), rotated.body().toString());
            assertFalse(agent.identity().state().rotationPending());
            assertEquals(EnrollmentPhase.ACTIVE, agent.identity().state().phase());
            assertNotEquals(oldKeyName, agent.identity().machineKeyNameHex(), "the agent signs with the new key");
            assertTrue(audit("overtaken").stream().anyMatch(r -> r.contains("machine_key.rotation_resolved")
                    && r.contains("ADOPTED_NEW_KEY")));

            RequestSigning old = (method, path, body) -> signedByOldKey;
            assertEquals("signature_invalid", assertThrows(ServerRefused.class, () -> rig.direct.me(old)).code());
            assertEquals(agent.identity().state().machineId(), rig.direct.me(agent.identity().requestSigning(Clock.systemUTC())).machineId());
        }
    }

    private List<String> audit(String name) throws Exception {
        return Files.readAllLines(dir.resolve("station/" + name + "-state/audit.jsonl"));
    }
}
