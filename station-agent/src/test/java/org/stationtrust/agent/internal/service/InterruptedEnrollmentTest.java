package org.stationtrust.agent.internal.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stationtrust.agent.internal.api.ApiRefusal;
import org.stationtrust.agent.internal.config.ConfigLoader;
import org.stationtrust.agent.internal.identity.StationState;
import org.stationtrust.agent.internal.identity.StationState.EnrollmentPhase;
import org.stationtrust.agent.testing.AgentProcess;
import org.stationtrust.agent.testing.RotationProxy;
import org.stationtrust.agent.testing.ServerFixture;
import org.stationtrust.agent.testing.StationFixture;
import org.stationtrust.protocol.StationRoute;

/**
 * Enrollments whose answer is lost, with real parts: swtpm, server-enroll on SQLite (one-time tokens required), and
 * a real HTTPS proxy between them (posing with the server's certificate, so the agent's pin holds) that lets the
 * server commit the enrollment and then cuts the connection instead of relaying the answer. The agent retries with
 * the same token and keys and ends with the one pending enrollment the server created.
 */
class InterruptedEnrollmentTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ENROLL = StationRoute.ENROLL.path();
    private static final String TOKEN_ENV = "STATION_AGENT_SERVER_ENROLLMENT_TOKEN";
    @TempDir Path dir;
    private RotationRig rig;

    @BeforeEach
    void start() throws Exception {
        rig = new RotationRig(dir);
        rig.proxy.losesOn(ENROLL);
    }

    @AfterEach
    void stop() {
        if (rig != null) rig.close();
    }

    /** A production agent named {@code name}, enrolling through the proxy with {@code token}. */
    private RunningAgent agentThroughProxy(String name, String token) throws Exception {
        return RunningAgent.start(rig.station.productionConfig(name, rig.proxy.url(), rig.server.pin(), Map.of(TOKEN_ENV, token)),
                Clock.systemUTC());
    }

    @Test
    void retriesAnEnrollmentWhoseAnswerWasLostAfterTheServerCommittedItAndEndsWithOneEnrollment() throws Exception {
        String token = rig.server.issueEnrollmentToken();
        rig.proxy.mode(RotationProxy.Mode.DROP_AFTER_COMMIT, 1);
        try (RunningAgent agent = agentThroughProxy("lost-enrollment", token)) {
            RotationRig.await("the enrollment to reach PENDING_APPROVAL",
                    () -> agent.identity().state().phase() == EnrollmentPhase.PENDING_APPROVAL);
            String machineId = agent.identity().state().machineId();
            assertEquals(2, rig.proxy.rotationsSeen(), "the lost attempt and one retry reached the proxy");
            assertEquals(2, rig.proxy.rotationsCommitted(), "the server answered both (201, then 200 for the retry)");
            assertEquals(1, rig.server.count("SELECT COUNT(*) FROM machines WHERE name = ?", "lost-enrollment"),
                    "one pending enrollment: the retry created none");
            assertEquals(1, rig.server.count("SELECT COUNT(*) FROM audit_events WHERE action = 'enrollment.retry' AND "
                    + "subject = ?", machineId), "the server audited the retry");
            assertEquals("PENDING_APPROVAL", rig.server.admin("GET", "/api/v1/admin/machines/" + machineId, null)
                    .path("state").asText());
            List<JsonNode> audit = audit(dir.resolve("station/lost-enrollment-state"));
            assertTrue(has(audit, "enrollment.retrying"), "the agent audited its retry");
            assertTrue(has(audit, "enrollment.activated"));
            assertTrue(audit.stream().noneMatch(r -> r.toString().contains(token)), "the token never reaches the audit log");
        }
    }

    @Test
    void anAgentKilledBetweenSendingAndReceivingEnrollsWithTheSameEnrollmentWhenStartedAgain() throws Exception {
        String token = rig.server.issueEnrollmentToken();
        Path config = rig.station.productionConfigFile("killed-enrolling", rig.proxy.url(), rig.server.pin());
        Path state = dir.resolve("station/killed-enrolling-state");
        rig.proxy.mode(RotationProxy.Mode.HOLD_AFTER_COMMIT, 1);
        try (AgentProcess agent = AgentProcess.start(config, dir.resolve("killed-enrolling.log"), Map.of(TOKEN_ENV, token))) {
            RotationRig.await("the server to commit the enrollment", () -> rig.proxy.rotationsCommitted() == 1);
            agent.kill();
        }
        rig.proxy.release();
        assertEquals(EnrollmentPhase.NOT_ENROLLED, StationState.load(state).phase(), "the answer never arrived");
        assertEquals(1, rig.server.count("SELECT COUNT(*) FROM machines WHERE name = ?", "killed-enrolling"));

        try (RunningAgent again = RunningAgent.start(new ConfigLoader(Map.of(TOKEN_ENV, token)).load(config),
                Clock.systemUTC())) {
            RotationRig.await("the enrollment to reach PENDING_APPROVAL",
                    () -> again.identity().state().phase() == EnrollmentPhase.PENDING_APPROVAL);
            String machineId = again.identity().state().machineId();
            assertEquals(1, rig.server.count("SELECT COUNT(*) FROM machines WHERE name = ?", "killed-enrolling"),
                    "the restarted agent was answered with the enrollment the killed one began");
            assertEquals(1, rig.server.count("SELECT COUNT(*) FROM machines WHERE id = ? AND enrollment_token_id IS NOT NULL",
                    machineId));
            assertEquals(1, rig.server.count("SELECT COUNT(*) FROM audit_events WHERE action = 'enrollment.retry' AND "
                    + "subject = ?", machineId));
        }
    }

    @Test
    void anActivationLostBeforeTheServerIsResumedWithTheSameEnrollmentAndReachesPendingApproval() throws Exception {
        String token = rig.server.issueEnrollmentToken();
        rig.proxy.losesOnPathsEndingWith("/activation").mode(RotationProxy.Mode.DROP_BEFORE_SERVER, 1);
        try (RunningAgent agent = agentThroughProxy("lost-activation", token)) {
            RotationRig.await("the enrollment to reach PENDING_APPROVAL",
                    () -> agent.identity().state().phase() == EnrollmentPhase.PENDING_APPROVAL);
            assertResumedOnce("lost-activation", agent.identity().state().machineId());
        }
    }

    @Test
    void anActivationInterruptedBeforeARestartIsResumedByTheRestartedAgent() throws Exception {
        String token = rig.server.issueEnrollmentToken();
        Path config = rig.station.productionConfigFile("restarted-activation", rig.proxy.url(), rig.server.pin());
        rig.proxy.losesOnPathsEndingWith("/activation").mode(RotationProxy.Mode.DROP_BEFORE_SERVER);
        try (RunningAgent agent = RunningAgent.start(new ConfigLoader(Map.of(TOKEN_ENV, token)).load(config), Clock.systemUTC())) {
            RotationRig.await("an activation to be lost", () -> rig.proxy.rotationsSeen() >= 1);
            assertEquals(EnrollmentPhase.PENDING_ACTIVATION, agent.identity().state().phase());
        }
        rig.proxy.mode(RotationProxy.Mode.PASS);
        try (RunningAgent again = RunningAgent.start(new ConfigLoader(Map.of(TOKEN_ENV, token)).load(config), Clock.systemUTC())) {
            RotationRig.await("the enrollment to reach PENDING_APPROVAL",
                    () -> again.identity().state().phase() == EnrollmentPhase.PENDING_APPROVAL);
            String machineId = again.identity().state().machineId();
            assertEquals(1, rig.server.count("SELECT COUNT(*) FROM machines WHERE name = ?", "restarted-activation"),
                    "the restarted agent activated the enrollment the first run began");
            assertEquals("PENDING_APPROVAL", rig.server.admin("GET", "/api/v1/admin/machines/" + machineId, null)
                    .path("state").asText());
            assertTrue(has(audit(dir.resolve("station/restarted-activation-state")), "enrollment.activation_resuming"));
        }
    }

    private void assertResumedOnce(String name, String machineId) throws Exception {
        assertEquals(1, rig.server.count("SELECT COUNT(*) FROM machines WHERE name = ?", name), "one enrollment");
        assertTrue(rig.server.count("SELECT COUNT(*) FROM audit_events WHERE action = 'enrollment.retry' AND subject = ?",
                machineId) >= 1, "the challenge was asked for again with the signed retry");
        assertEquals("PENDING_APPROVAL", rig.server.admin("GET", "/api/v1/admin/machines/" + machineId, null)
                .path("state").asText());
        List<JsonNode> audit = audit(dir.resolve("station/" + name + "-state"));
        assertTrue(has(audit, "enrollment.activation_resuming"), "the agent audited the resumption");
        assertTrue(has(audit, "enrollment.activated"));
    }

    @Test
    void anOperatorsEnrollmentWhileTheAgentRetriesItsOwnIsRefusedAsBusyAndTheOwnOneCompletes() throws Exception {
        String token = rig.server.issueEnrollmentToken();
        // every attempt lost until the operator has been refused; attempts enough that the agent is still retrying then
        // (its waits grow 1, 2, 4, 8 s with jitter, so they cannot be counted on to outlast the operator's wait)
        rig.proxy.mode(RotationProxy.Mode.DROP_BEFORE_SERVER);
        try (RunningAgent agent = RunningAgent.start(rig.station.productionConfig("busy-enrolling", rig.proxy.url(),
                rig.server.pin(), Map.of(TOKEN_ENV, token), Map.of("enrollment_attempts", 20)), Clock.systemUTC())) {
            RotationRig.await("the first attempt to be lost", () -> rig.proxy.rotationsSeen() == 1);
            long start = System.nanoTime();
            ApiRefusal busy = org.junit.jupiter.api.Assertions.assertThrows(ApiRefusal.class,
                    () -> agent.enroll(Optional.of(token)));
            Duration waited = Duration.ofNanos(System.nanoTime() - start);
            rig.proxy.mode(RotationProxy.Mode.PASS);
            assertEquals("agent_busy", busy.code(), busy.getMessage());
            assertEquals(409, busy.status());
            assertTrue(busy.getMessage().contains("enrolling with the configured token"), busy.getMessage());
            assertTrue(!busy.getMessage().contains(token), "the token is not repeated to the caller");
            assertTrue(waited.compareTo(ServerSession.OPERATOR_WAIT) >= 0, "refused only after the operator's wait: " + waited);
            assertTrue(waited.compareTo(ServerSession.OPERATOR_WAIT.plusSeconds(5)) < 0,
                    "refused after the operator's wait, not after the enrollment's retries: " + waited);
            RotationRig.await("the agent's own enrollment to reach PENDING_APPROVAL",
                    () -> agent.identity().state().phase() == EnrollmentPhase.PENDING_APPROVAL);
            assertEquals(1, rig.server.count("SELECT COUNT(*) FROM machines WHERE name = ?", "busy-enrolling"),
                    "the refused request enrolled nothing");
            assertEquals(1, rig.proxy.rotationsCommitted(), "the server got one enrollment: the agent's attempt that passed");
            assertTrue(rig.proxy.rotationsSeen() >= 3, "the agent went on retrying while the operator waited: "
                    + rig.proxy.rotationsSeen());
        }
    }

    @Test
    void aRefusalIsNotRetried() throws Exception {
        // Two stations, each with its own swtpm (other EK, AK and machine key), and a server that trusts both EK CAs.
        try (StationFixture other = new StationFixture(dir.resolve("other"))) {
            Path cas = Files.createDirectories(dir.resolve("both-cas"));
            List<Path> sources = List.of(rig.station.tpm().caDirectory(), other.tpm().caDirectory());
            for (int i = 0; i < sources.size(); i++) {
                try (var files = Files.list(sources.get(i))) {
                    for (Path f : files.toList()) Files.copy(f, cas.resolve("tpm" + i + "-" + f.getFileName()));
                }
            }
            try (ServerFixture both = new ServerFixture(Files.createDirectories(dir.resolve("server-both")), cas,
                    Duration.ofHours(1), true);
                 RotationProxy counting = new RotationProxy(both.url(), both.keystore(), both.keystorePassword())
                         .losesOn(ENROLL)) {
                String token = both.issueEnrollmentToken();
                try (RunningAgent first = RunningAgent.start(rig.station.productionConfig("token-owner", counting.url(),
                        both.pin(), Map.of(TOKEN_ENV, token)), Clock.systemUTC())) {
                    RotationRig.await("the first station to enroll",
                            () -> first.identity().state().phase() == EnrollmentPhase.PENDING_APPROVAL);
                }
                try (RunningAgent thief = RunningAgent.start(other.productionConfig("token-thief", counting.url(),
                        both.pin(), Map.of(TOKEN_ENV, token)), Clock.systemUTC())) {
                    RotationRig.await("the refusal", () -> thief.identity().state().detail() != null);
                    assertTrue(thief.identity().state().detail().contains("enrollment_token_invalid"),
                            thief.identity().state().detail());
                    assertEquals(EnrollmentPhase.NOT_ENROLLED, thief.identity().state().phase());
                    assertEquals(2, counting.rotationsSeen(), "one attempt each: a 4xx refusal is final");
                    assertEquals(0, both.count("SELECT COUNT(*) FROM machines WHERE name = ?", "token-thief"));
                }
            }
        }
    }

    private static List<JsonNode> audit(Path stateDir) throws Exception {
        List<JsonNode> records = new java.util.ArrayList<>();
        for (String line : Files.readAllLines(stateDir.resolve("audit.jsonl"))) {
            if (!line.isBlank()) records.add(JSON.readTree(line));
        }
        return records;
    }

    private static boolean has(List<JsonNode> audit, String event) {
        return audit.stream().anyMatch(r -> event.equals(r.path("event").asText()));
    }
}
