package org.stationtrust.agent.internal.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stationtrust.agent.AgentConfig;
import org.stationtrust.agent.internal.config.ConfigLoader;
import org.stationtrust.agent.internal.identity.StationState;
import org.stationtrust.agent.testing.AgentClient;
import org.stationtrust.agent.testing.StationFixture;
import org.stationtrust.tpm.simulator.SoftwareTpm;

/** The TPM under a station changes: swtpm restarts under a running agent; a TPM with another EK replaces the enrolled one. */
class TpmLifecycleTest {
    @TempDir static Path dir;
    private static StationFixture station;

    @BeforeAll
    static void start() throws Exception {
        station = new StationFixture(dir);
    }

    @AfterAll
    static void stop() {
        if (station != null) station.close();
    }

    private static String faceOrder(String registration) {
        return "{\"modality\":\"Face\",\"consentReference\":\"c-1\",\"registrationId\":\"" + registration + "\"}";
    }

    @Test
    void reconnectsWhenTheTpmRestartsUnderARunningAgent() throws Exception {
        try (RunningAgent agent = station.startAgent("restart")) {
            AgentClient client = new AgentClient(agent.apiPort(), agent.apiToken().reveal());
            assertEquals(200, client.post("/v1/captures", faceOrder("R-1")).status());
            station.tpm().restart();
            AgentClient.Answer after = client.post("/v1/captures", faceOrder("R-2"));
            assertEquals(200, after.status(), after.body().toString());
            assertEquals("ready", client.get("/v1/status").body().path("tpm").asText());
            assertTrue(Files.readString(agent.stateDirectory().resolve("audit.jsonl")).contains("tpm.reconnected"));
        }
    }

    @Test
    void saysDevelopmentModeLoudlyAtEveryStart() throws Exception {
        ch.qos.logback.classic.LoggerContext context = (ch.qos.logback.classic.LoggerContext) org.slf4j.LoggerFactory.getILoggerFactory();
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> events = new ch.qos.logback.core.read.ListAppender<>();
        events.setContext(context);
        events.start();
        ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(events);
        try {
            for (int start = 0; start < 2; start++) {
                try (RunningAgent agent = station.startAgent("devmode")) {
                    assertEquals("development", new AgentClient(agent.apiPort(), agent.apiToken().reveal()).get("/v1/status")
                            .body().path("mode").asText());
                }
            }
        } finally {
            root.detachAppender(events);
        }
        long warnings = events.list.stream().filter(e -> e.getLevel() == ch.qos.logback.classic.Level.WARN
                && org.stationtrust.logging.JsonLineEncoder.line(e).contains("DEVELOPMENT MODE")).count();
        assertEquals(2, warnings, "one loud warning per start");
    }

    @Test
    void reportsReenrollmentWhenTheTpmHasAnotherEndorsementKey() throws Exception {
        AgentConfig first = station.config("swapped", "", Map.of());
        try (RunningAgent agent = RunningAgent.start(first, Clock.systemUTC())) {
            StationIdentity id = agent.identity();
            id.update(id.state().withEnrollment("https://enroll.test", "machine-1", StationState.EnrollmentPhase.ACTIVE,
                    id.ekNameHex(), id.machineKeyNameHex()));
        }
        try (SoftwareTpm other = SoftwareTpm.start(dir.resolve("other-tpm"))) {
            AgentConfig swapped = new ConfigLoader(Map.of("STATION_AGENT_TPM_URI", other.uri())).load(station.writeConfig("swapped", ""));
            try (RunningAgent agent = RunningAgent.start(swapped, Clock.systemUTC())) {
                assertEquals(StationState.EnrollmentPhase.REENROLLMENT_REQUIRED, agent.identity().state().phase());
                AgentClient client = new AgentClient(agent.apiPort(), agent.apiToken().reveal());
                assertEquals("REENROLLMENT_REQUIRED", client.get("/v1/status").body().path("enrollment").asText());
                String audit = Files.readString(agent.stateDirectory().resolve("audit.jsonl"));
                assertTrue(audit.contains("tpm.endorsement_key_changed"), "the EK change is audited");
                assertTrue(audit.contains("queue.quarantined"), "the queue sealed by the old TPM is moved aside, not read");
            }
        }
    }
}
