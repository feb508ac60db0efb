package org.stationtrust.agent.internal.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
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
import org.stationtrust.bench.PrometheusText;

/**
 * The agent's {@code /metrics} on its local API (swtpm, simulator, real server): scraped with the API token and
 * parsed strictly after an attestation, a capture, and a capture queued while the server is down.
 */
class AgentMetricsTest {
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

    @Test
    void reportsQueueTpmCaptureDevicesAndAttestationWithoutTheMachineId() throws Exception {
        AgentConfig config = station.productionConfig("station-metrics", server.url(), server.pin(),
                Map.of("STATION_AGENT_SERVER_ENROLLMENT_TOKEN", server.issueEnrollmentToken()));
        try (RunningAgent agent = RunningAgent.start(config, Clock.systemUTC())) {
            DeliveryToServerTest.await("enrollment", () -> agent.identity().state().phase() == EnrollmentPhase.PENDING_APPROVAL);
            String machineId = agent.identity().state().machineId();
            server.admin("POST", "/api/v1/admin/machines/" + machineId + "/approve", "{\"reason\":\"metrics test\"}");
            DeliveryToServerTest.await("a passing attestation", () -> agent.identity().state()
                    .attestationPassed());
            AgentClient client = new AgentClient(agent.apiPort(), agent.apiToken().reveal());
            assertEquals(200, client.post("/v1/captures", "{\"modality\":\"Face\",\"deviceSubId\":0,"
                    + "\"consentReference\":\"consent-m\",\"registrationId\":\"R-M-1\"}").status());
            server.stop();
            assertEquals(200, client.post("/v1/captures", "{\"modality\":\"Face\",\"deviceSubId\":0,"
                    + "\"consentReference\":\"consent-m\",\"registrationId\":\"R-M-2\"}").status());
            Thread.sleep(1200);

            HttpResponse<String> scraped = client.text("/metrics", true);
            assertEquals(200, scraped.statusCode(), scraped.body());
            assertTrue(scraped.headers().firstValue("Content-Type").orElseThrow().startsWith("text/plain; version=0.0.4"));
            PrometheusText m = PrometheusText.parse(scraped.body());
            assertTrue(m.value("stationtrust_agent_queue_messages", Map.of("state", "waiting")) >= 1,
                    "the packet captured while the server is down waits");
            assertTrue(m.value("stationtrust_agent_queue_oldest_age_seconds", Map.of()) >= 1.0);
            assertTrue(m.value("stationtrust_agent_tpm_call_seconds_count", Map.of()) >= 3,
                    "quote and packet signatures went through the TPM");
            assertEquals(2.0, m.value("stationtrust_agent_capture_step_seconds_count", Map.of("step", "sbiCapture")));
            assertEquals(2.0, m.value("stationtrust_agent_capture_step_seconds_count", Map.of("step", "tpmSign")));
            assertTrue(m.value("stationtrust_agent_devices_available", Map.of("type", "face")) >= 1);
            assertEquals(1.0, m.value("stationtrust_agent_attestation_last_result", Map.of("result", "passed")));
            assertEquals(0.0, m.value("stationtrust_agent_attestation_last_result", Map.of("result", "refused")));
            double age = m.value("stationtrust_agent_attestation_last_age_seconds", Map.of());
            assertTrue(age >= 0 && age < 600, "age " + age);
            assertFalse(scraped.body().contains(machineId), "the machine id is never a label");

            assertEquals(401, client.text("/metrics", false).statusCode(), "the API token guards the metrics");
            server.restart();
        }
    }
}
