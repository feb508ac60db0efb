package org.stationtrust.agent.internal.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stationtrust.agent.testing.AgentClient;
import org.stationtrust.agent.testing.AgentProcess;
import org.stationtrust.agent.testing.DroppingReceiver;
import org.stationtrust.agent.testing.StationFixture;
import org.stationtrust.testsupport.FreePorts;

/**
 * Offline delivery with the agent as a real process: the server is down while captures happen, comes
 * back, loses a reply, and the agent is SIGKILLed in the middle of a delivery; every packet still
 * arrives exactly once (same idempotency key on every resend, so the server keeps one copy).
 */
class OfflineDeliveryTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PACKETS = "/api/v1/packets";
    @TempDir static Path dir;
    private static StationFixture station;
    private static DroppingReceiver server;

    @BeforeAll
    static void start() throws Exception {
        station = new StationFixture(dir);
        server = new DroppingReceiver();
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) server.close();
        if (station != null) station.close();
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what);
            Thread.sleep(50);
        }
    }


    /** Accepted messages that are packets (the agent's audit events go through the same queue). */
    private static List<String> packetBodies() {
        List<String> out = new java.util.ArrayList<>();
        for (String body : server.accepted().values()) {
            try {
                if (JSON.readTree(body).has("packetId")) out.add(body);
            } catch (java.io.IOException e) {
                throw new AssertionError("the receiver accepted a body that is not JSON: " + body, e);
            }
        }
        return out;
    }

    private static long packetsAccepted() {
        return packetBodies().size();
    }

    private static long waiting(AgentClient client) throws Exception {
        return client.get("/v1/status").body().path("queue").path("waiting").asLong();
    }

    @Test
    void deliversEveryPacketExactlyOnceAcrossAnOutageALostReplyAndASigkill() throws Exception {
        int port = FreePorts.loopback();
        Path config = station.writeConfig("offline", "server:\n  url: " + server.baseUrl() + "\n"
                + "queue:\n  initial_backoff_ms: 100\n  max_backoff_seconds: 1\n");
        Files.writeString(config, Files.readString(config).replace("port: 0", "port: " + port));
        Path state = dir.resolve("offline-state");
        Set<String> packetIds = new HashSet<>();

        server.answerWith(503);
        try (AgentProcess agent = AgentProcess.start(config, dir.resolve("agent.log"))) {
            AgentClient client = agent.awaitReady(state, port);
            for (int i = 0; i < 3; i++) {
                AgentClient.Answer a = client.post("/v1/captures", "{\"modality\":\"Face\",\"consentReference\":\"c\",\"registrationId\":\"R-" + i + "\"}");
                assertEquals(200, a.status(), a.body().toString());
                packetIds.add(a.body().path("packetId").asText());
            }
            await("a failed delivery attempt while the server is down", () -> !server.received(PACKETS).isEmpty());
            assertEquals(0, packetsAccepted(), "server down: nothing accepted");
            assertTrue(waiting(client) >= 3, "server down: the three packets (and audit events) wait in the queue");

            // The server is back and stores what it gets, but its replies are lost: the agent never sees an ack. A
            // failed attempt holds the whole queue, so the oldest packet is resent (same key, stored once) and the
            // others wait behind it, in order, instead of each costing a signature on every pass.
            server.dropNextReplies(1_000_000, PACKETS);
            server.answerWith(200);
            int sentBefore = server.received(PACKETS).size();
            await("the server to store the oldest packet and get it again without acknowledging it", () ->
                    packetsAccepted() == 1 && server.received(PACKETS).size() >= sentBefore + 2);
            assertEquals(1, server.received(PACKETS).stream().map(DroppingReceiver.Received::idempotencyKey).distinct().count(),
                    "only the oldest packet was tried while no answer came back");
            agent.kill();
        }
        server.dropNextReplies(0, PACKETS);

        try (AgentProcess agent = AgentProcess.start(config, dir.resolve("agent.log"))) {
            AgentClient client = agent.awaitReady(state, port);
            await("every packet delivered", () -> packetsAccepted() == 3);
            await("the queue to drain", () -> {
                try {
                    return waiting(client) == 0;
                } catch (Exception e) {
                    return false;
                }
            });
        }
        Set<String> delivered = new HashSet<>();
        for (String body : packetBodies()) delivered.add(JSON.readTree(body).path("packetId").asText());
        assertEquals(packetIds, delivered, "each packet stored exactly once (one idempotency key per packet)");
        List<DroppingReceiver.Received> sends = server.received(PACKETS);
        assertTrue(sends.size() > 3, "resends happened: " + sends.size());
        for (DroppingReceiver.Received r : sends) assertTrue(server.accepted().containsKey(r.idempotencyKey()),
                "every resend reused an accepted idempotency key");
    }
}
