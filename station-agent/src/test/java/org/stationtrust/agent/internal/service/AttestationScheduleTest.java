package org.stationtrust.agent.internal.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
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
 * The agent attests on the server's schedule, learned from the server's answer to a quote, not on its own
 * configured value: a server with a 12 s interval and an agent configured for an hour (swtpm, real server).
 */
class AttestationScheduleTest {
    @TempDir static Path dir;
    private static StationFixture station;
    private static ServerFixture server;

    @BeforeAll
    static void start() throws Exception {
        station = new StationFixture(dir.resolve("station"));
        server = new ServerFixture(Files.createDirectories(dir.resolve("server")), station.tpm().caDirectory(), Duration.ofSeconds(12));
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
        if (station != null) station.close();
    }

    @Test
    void attestsWithinTheServersIntervalThoughItsOwnSettingIsAnHour() throws Exception {
        AgentConfig config = station.productionConfig("station-schedule", server.url(), server.pin(),
                Map.of("STATION_AGENT_SERVER_ENROLLMENT_TOKEN", server.issueEnrollmentToken()));
        assertEquals(Duration.ofHours(1), config.server().attestationInterval(), "the agent's own setting");
        try (RunningAgent agent = RunningAgent.start(config, Clock.systemUTC())) {
            EnrollmentEndToEndTest.await("enrollment", () -> agent.identity().state().phase() == EnrollmentPhase.PENDING_APPROVAL);
            String machineId = agent.identity().state().machineId();
            server.admin("POST", "/api/v1/admin/machines/" + machineId + "/approve", "{\"reason\":\"schedule test\"}");
            EnrollmentEndToEndTest.await("a passing attestation", () -> agent.identity().state().phase() == EnrollmentPhase.ACTIVE
                    && agent.identity().state().attestationPassed());

            JsonNode schedule = new AgentClient(agent.apiPort(), agent.apiToken().reveal()).get("/v1/status").body()
                    .path("attestationSchedule");
            assertEquals(12, schedule.path("serverIntervalSeconds").asLong(), schedule.toString());
            assertEquals(9, schedule.path("everySeconds").asLong(), "three quarters of the server's interval");

            // Two more attestations arrive unasked, each before the server's 12 s run out.
            for (int i = 0; i < 2; i++) {
                Instant before = agent.identity().state().lastAttestedAt().orElseThrow();
                EnrollmentEndToEndTest.await("an attestation on the server's schedule", () ->
                        agent.identity().state().lastAttestedAt().orElseThrow().isAfter(before)
                                && agent.identity().state().attestationPassed());
                long gap = Duration.between(before, agent.identity().state().lastAttestedAt().orElseThrow()).toMillis();
                assertTrue(gap < 12_000, "attested " + gap + " ms after the previous one");
            }
            JsonNode machine = server.admin("GET", "/api/v1/admin/machines/" + machineId, null);
            assertEquals("OK", machine.path("attestationStatus").asText(), "never overdue: " + machine);
        }
    }

    /** A clock that can be stepped, as an NTP correction or an operator steps the system clock. */
    private static final class SteppedClock extends Clock {
        private volatile Duration offset = Duration.ZERO;

        void stepBy(Duration step) {
            offset = offset.plus(step);
        }

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Instant instant() {
            return Instant.now().plus(offset);
        }
    }

    private static long serverIntervalSeconds(RunningAgent agent) {
        try {
            return new AgentClient(agent.apiPort(), agent.apiToken().reveal()).get("/v1/status").body()
                    .path("attestationSchedule").path("serverIntervalSeconds").asLong();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aClockSteppedBackAnHourDoesNotPostponeTheNextAttestation() throws Exception {
        AgentConfig config = station.productionConfig("station-clock-step", server.url(), server.pin(),
                Map.of("STATION_AGENT_SERVER_ENROLLMENT_TOKEN", server.issueEnrollmentToken()));
        SteppedClock clock = new SteppedClock();
        try (RunningAgent agent = RunningAgent.start(config, clock)) {
            EnrollmentEndToEndTest.await("enrollment", () -> agent.identity().state().phase() == EnrollmentPhase.PENDING_APPROVAL);
            String machineId = agent.identity().state().machineId();
            server.admin("POST", "/api/v1/admin/machines/" + machineId + "/approve", "{\"reason\":\"clock test\"}");
            EnrollmentEndToEndTest.await("a passing attestation", () -> agent.identity().state().phase() == EnrollmentPhase.ACTIVE
                    && agent.identity().state().attestationPassed());
            // the server's interval learned (the first answer of the run), then the clock goes back an hour
            EnrollmentEndToEndTest.await("the server's interval", () -> serverIntervalSeconds(agent) == 12);
            Instant before = agent.identity().state().lastAttestedAt().orElseThrow();
            long start = System.nanoTime();
            clock.stepBy(Duration.ofHours(-1));
            EnrollmentEndToEndTest.await("an attestation after the step", () ->
                    !agent.identity().state().lastAttestedAt().orElseThrow().equals(before)
                            && agent.identity().state().attestationPassed());
            long waited = Duration.ofNanos(System.nanoTime() - start).toMillis();
            assertTrue(waited < 12_000, "attested " + waited + " ms after the step, within the server's interval");
            JsonNode machine = server.admin("GET", "/api/v1/admin/machines/" + machineId, null);
            assertEquals("OK", machine.path("attestationStatus").asText(), "never overdue: " + machine);
        }
    }
}
