package org.stationtrust.agent.internal.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stationtrust.agent.internal.identity.StationState.EnrollmentPhase;
import org.stationtrust.agent.internal.server.RequestSigning;
import org.stationtrust.agent.internal.server.ServerClient;
import org.stationtrust.agent.internal.server.ServerHttp;
import org.stationtrust.agent.internal.server.ServerRefused;
import org.stationtrust.agent.testing.AgentClient;
import org.stationtrust.agent.testing.RotationProxy;
import org.stationtrust.agent.testing.ServerFixture;
import org.stationtrust.agent.testing.StationFixture;
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
    private StationFixture station;
    private ServerFixture server;
    private RotationProxy proxy;
    private ServerClient direct;

    @BeforeEach
    void start() throws Exception {
        station = new StationFixture(dir.resolve("station"));
        server = new ServerFixture(Files.createDirectories(dir.resolve("server")), station.tpm().caDirectory(), Duration.ofHours(1), true);
        proxy = new RotationProxy(server.url(), server.keystore(), server.keystorePassword());
        direct = new ServerClient(ServerHttp.client(URI.create(server.url()), List.of(org.stationtrust.agent.PublicKeyPin.parse(server.pin())),
                Duration.ofSeconds(10)), URI.create(server.url()), Duration.ofSeconds(30));
    }

    @AfterEach
    void stop() {
        if (proxy != null) proxy.close();
        if (server != null) server.close();
        if (station != null) station.close();
    }

    @Test
    void withdrawsTheRotationBeforeDroppingTheNewKeySoTheDelayedRequestIsRefusedWhenItArrives() throws Exception {
        try (RunningAgent agent = RunningAgent.start(config("delayed"), Clock.systemUTC())) {
            awaitActive(agent);
            AgentClient client = new AgentClient(agent.apiPort(), agent.apiToken().reveal());
            String oldKeyName = agent.identity().machineKeyNameHex();

            proxy.mode(RotationProxy.Mode.DELAY_BEFORE_SERVER, 1);
            AgentClient.Answer lost = client.post("/v1/key-rotation", "{}");
            assertNotEquals(200, lost.status(), lost.body().toString());
            assertTrue(proxy.holdsDelayed(), "the rotation request is still on its way");
            assertEquals(1, proxy.requests(WITHDRAWAL), "the agent withdrew the rotation before settling it");
            assertFalse(agent.identity().state().rotationPending());
            assertEquals(oldKeyName, agent.identity().machineKeyNameHex(), "the agent kept its current key");
            List<String> audit = audit("delayed");
            assertTrue(audit.stream().anyMatch(r -> r.contains("machine_key.rotation_resolved") && r.contains("KEPT_CURRENT_KEY")), audit.toString());
            assertTrue(audit.stream().anyMatch(r -> r.contains("machine_key.evicted") && r.contains("discarded")), audit.toString());

            // The delayed request arrives now, within its nonce's lifetime and its timestamp window: refused.
            RotationProxy.DelayedAnswer late = proxy.releaseDelayed();
            assertEquals(403, late.status(), late.body());
            assertTrue(late.body().contains("nonce_invalid"), late.body());
            assertEquals(agent.identity().state().machineId(), direct.me(agent.identity().requestSigning(Clock.systemUTC())).machineId(),
                    "the server still accepts the key the agent kept");
            java.util.Optional<java.time.Instant> before = agent.identity().state().lastAttestedAt();
            assertEquals(202, client.post("/v1/attestations", "{}").status());
            InterruptedKeyRotationTest.await("a new passing attestation signed with the kept key", () ->
                    !before.equals(agent.identity().state().lastAttestedAt()) && agent.identity().state().attestationPassed());
            assertTrue(server.admin("GET", "/api/v1/admin/audit?limit=500", null).toString().contains("machine.rotation_withdrawn"));
        }
    }

    @Test
    void adoptsTheNewKeyWhenTheDelayedRequestTakesEffectJustBeforeTheWithdrawal() throws Exception {
        try (RunningAgent agent = RunningAgent.start(config("overtaken"), Clock.systemUTC())) {
            awaitActive(agent);
            AgentClient client = new AgentClient(agent.apiPort(), agent.apiToken().reveal());
            String oldKeyName = agent.identity().machineKeyNameHex();
            Map<String, String> signedByOldKey = agent.identity().requestSigning(Clock.systemUTC()).headers("GET", ME, new byte[0]);

            proxy.mode(RotationProxy.Mode.DELAY_BEFORE_SERVER, 1);
            proxy.releaseDelayedBefore(WITHDRAWAL);
            AgentClient.Answer rotated = client.post("/v1/key-rotation", "{}");
            assertEquals(200, proxy.delayedAnswer().status(), "the delayed rotation took effect before the withdrawal");
            assertEquals(200, rotated.status(), rotated.body().toString());
            assertFalse(agent.identity().state().rotationPending());
            assertEquals(EnrollmentPhase.ACTIVE, agent.identity().state().phase());
            assertNotEquals(oldKeyName, agent.identity().machineKeyNameHex(), "the agent signs with the new key");
            assertTrue(audit("overtaken").stream().anyMatch(r -> r.contains("machine_key.rotation_resolved")
                    && r.contains("ADOPTED_NEW_KEY")));

            RequestSigning old = (method, path, body) -> signedByOldKey;
            assertEquals("signature_invalid", assertThrows(ServerRefused.class, () -> direct.me(old)).code());
            assertEquals(agent.identity().state().machineId(), direct.me(agent.identity().requestSigning(Clock.systemUTC())).machineId());
        }
    }

    private org.stationtrust.agent.AgentConfig config(String name) throws Exception {
        return station.productionConfig(name, proxy.url(), server.pin(),
                Map.of("STATION_AGENT_SERVER_ENROLLMENT_TOKEN", server.issueEnrollmentToken()));
    }

    private void awaitActive(RunningAgent agent) throws Exception {
        InterruptedKeyRotationTest.await("enrollment to reach PENDING_APPROVAL",
                () -> agent.identity().state().phase() == EnrollmentPhase.PENDING_APPROVAL);
        server.admin("POST", "/api/v1/admin/machines/" + agent.identity().state().machineId() + "/approve", "{\"reason\":\"delayed rotation test\"}");
        InterruptedKeyRotationTest.await("approval and a passing attestation", () -> agent.identity().state().phase() == EnrollmentPhase.ACTIVE
                && agent.identity().state().attestationPassed());
    }

    private List<String> audit(String name) throws Exception {
        return Files.readAllLines(dir.resolve("station/" + name + "-state/audit.jsonl"));
    }
}
