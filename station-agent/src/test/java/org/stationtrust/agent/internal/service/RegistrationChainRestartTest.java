package org.stationtrust.agent.internal.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stationtrust.agent.testing.AgentClient;
import org.stationtrust.agent.testing.StationFixture;
import org.stationtrust.sbi.client.HashChain;

/** A registration's hash chain survives an agent restart (swtpm, simulator, the agent's SQLite state). */
class RegistrationChainRestartTest {
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

    private static JsonNode capture(RunningAgent agent, String modality, int subId, String registration) throws Exception {
        AgentClient client = new AgentClient(agent.apiPort(), agent.apiToken().reveal());
        AgentClient.Answer a = client.post("/v1/captures", "{\"modality\":\"" + modality + "\",\"deviceSubId\":" + subId
                + ",\"consentReference\":\"c-chain\",\"registrationId\":\"" + registration + "\"}");
        assertEquals(200, a.status(), a.body().toString());
        return a.body();
    }

    @Test
    void theSecondCaptureAfterARestartContinuesTheRegistrationsChain() throws Exception {
        String firstLastHash;
        try (RunningAgent agent = station.startAgent("chain")) {
            JsonNode first = capture(agent, "Face", 0, "R-CHAIN");
            assertEquals(HashChain.START_HEX, first.path("previousHash").asText().toUpperCase(), "a new registration starts a chain");
            firstLastHash = first.path("lastHash").asText();
            assertNotEquals(HashChain.START_HEX, firstLastHash.toUpperCase());
        }
        try (RunningAgent agent = station.startAgent("chain")) {
            JsonNode second = capture(agent, "Finger", 1, "R-CHAIN");
            assertEquals(firstLastHash, second.path("previousHash").asText(), "the chain continues after the restart");
            JsonNode other = capture(agent, "Face", 0, "R-OTHER");
            assertEquals(HashChain.START_HEX, other.path("previousHash").asText().toUpperCase(), "another registration has its own chain");
        }
    }
}
