package org.stationtrust.agent.internal.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
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
 * What the agent queues reaches the real server (server-enroll on SQLite, TLS pinned, swtpm, simulator):
 * every capture packet is received exactly once, also when the server is down while captures happen and
 * comes back, and the agent's queue ends empty.
 */
class DeliveryToServerTest {
    @TempDir static Path dir;
    private static StationFixture station;
    private static ServerFixture server;

    @BeforeAll
    static void start() throws Exception {
        station = new StationFixture(dir.resolve("station"));
        server = new ServerFixture(Files.createDirectories(dir.resolve("server")), station.tpm().caDirectory(),
                Duration.ofHours(1), true);
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

    static RunningAgent activeAgent(String name) throws Exception {
        AgentConfig config = station.productionConfig(name, server.url(), server.pin(),
                Map.of("STATION_AGENT_SERVER_ENROLLMENT_TOKEN", server.issueEnrollmentToken()));
        RunningAgent agent = RunningAgent.start(config, Clock.systemUTC());
        await("enrollment", () -> agent.identity().state().phase() == EnrollmentPhase.PENDING_APPROVAL);
        server.admin("POST", "/api/v1/admin/machines/" + agent.identity().state().machineId() + "/approve",
                "{\"reason\":\"delivery test\"}");
        await("approval and a passing attestation", () -> agent.identity().state().phase() == EnrollmentPhase.ACTIVE
                && agent.identity().state().attestationPassed());
        return agent;
    }

    static String capture(AgentClient client, String registration) throws Exception {
        AgentClient.Answer a = client.post("/v1/captures", "{\"modality\":\"Face\",\"deviceSubId\":0,"
                + "\"consentReference\":\"consent-d\",\"registrationId\":\"" + registration + "\"}");
        assertEquals(200, a.status(), a.body().toString());
        String id = a.body().path("packetId").asText();
        assertTrue(!id.isEmpty(), a.body().toString());
        return id;
    }

    static JsonNode receipts(String machineId) throws Exception {
        return server.admin("GET", "/api/v1/admin/machines/" + machineId + "/packets", null);
    }

    static Set<String> ids(JsonNode receipts) {
        Set<String> out = new TreeSet<>();
        receipts.path("packets").forEach(p -> out.add(p.path("packetId").asText()));
        return out;
    }

    static void awaitEmptyQueue(RunningAgent agent) throws InterruptedException {
        await("the queue to drain", () -> agent.outbound().waiting() == 0);
        assertEquals(0, agent.outbound().parked(), "nothing parked");
    }

    @Test
    void everyPacketReachesTheServerExactlyOnceAcrossAServerOutage() throws Exception {
        try (RunningAgent agent = activeAgent("station-delivery")) {
            String machineId = agent.identity().state().machineId();
            AgentClient client = new AgentClient(agent.apiPort(), agent.apiToken().reveal());
            Set<String> captured = new TreeSet<>();
            for (int i = 0; i < 3; i++) captured.add(capture(client, "R-D-" + i));
            awaitEmptyQueue(agent);
            JsonNode online = receipts(machineId);
            assertEquals(captured, ids(online));
            assertEquals(3, online.path("total").asLong(), "one receipt per packet");

            server.stop();
            for (int i = 3; i < 5; i++) captured.add(capture(client, "R-D-" + i));
            Thread.sleep(1500); // several delivery attempts fail against the closed port
            assertTrue(agent.outbound().waiting() >= 2, "the packets wait while the server is down");
            server.restart();
            awaitEmptyQueue(agent);
            JsonNode after = receipts(machineId);
            assertEquals(captured, ids(after), "every packet, captured online or during the outage");
            assertEquals(5, after.path("total").asLong(), "still exactly one receipt per packet");
        }
    }

    @Test
    void theStationsAuditEventsReachTheServerOnceEachWithoutSecrets() throws Exception {
        try (RunningAgent agent = activeAgent("station-audit")) {
            String machineId = agent.identity().state().machineId();
            AgentClient client = new AgentClient(agent.apiPort(), agent.apiToken().reveal());
            AgentClient.Answer a = client.post("/v1/captures", "{\"modality\":\"Face\",\"deviceSubId\":0,"
                    + "\"consentReference\":\"consent-audit\",\"registrationId\":\"R-AUDIT\"}");
            assertEquals(200, a.status(), a.body().toString());
            String packetId = a.body().path("packetId").asText();
            String bioValue = a.body().path("biometrics").get(0).path("bioValue").asText();
            awaitEmptyQueue(agent);

            JsonNode events = server.admin("GET", "/api/v1/admin/machines/" + machineId + "/audit-events?limit=1000", null);
            java.util.List<String> lines = Files.readAllLines(agent.stateDirectory().resolve("audit.jsonl"));
            assertEquals(lines.size(), events.path("total").asLong(), "every record of the station's log, once each");
            Set<String> names = new TreeSet<>();
            events.path("events").forEach(e -> names.add(e.path("event").asText()));
            assertTrue(names.containsAll(Set.of("agent.started", "enrollment.activated", "attestation.passed",
                    "capture.completed")), names.toString());
            boolean captureSeen = false;
            for (JsonNode e : events.path("events")) {
                if (e.path("event").asText().equals("capture.completed")) {
                    captureSeen |= packetId.equals(e.path("fields").path("packetId").asText())
                            && "consent-audit".equals(e.path("fields").path("consentReference").asText());
                }
            }
            assertTrue(captureSeen, "the capture's record names its packet and consent: " + events);
            String text = events.toString();
            assertTrue(bioValue.length() > 100 && !text.contains(bioValue.substring(0, 100)), "no biometric value");
            assertTrue(!text.contains(agent.apiToken().reveal()), "no local API token");
            JsonNode serverAudit = server.admin("GET", "/api/v1/admin/audit?limit=200", null);
            assertTrue(serverAudit.toString().contains("station_audit.received"), "the server's chain records a summary");
        }
    }
}
