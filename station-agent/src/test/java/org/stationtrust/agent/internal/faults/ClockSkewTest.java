package org.stationtrust.agent.internal.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stationtrust.agent.AgentConfig;
import org.stationtrust.agent.internal.identity.StationState.EnrollmentPhase;
import org.stationtrust.agent.internal.service.RunningAgent;
import org.stationtrust.agent.testing.AgentClient;
import org.stationtrust.agent.testing.ServerFixture;
import org.stationtrust.agent.testing.StationFixture;
import org.stationtrust.testsupport.MovableClock;

/**
 * A station whose clock is 5 minutes ahead of the server's (the limit is 60 s): its attestation still passes,
 * since a quote's freshness is the server's nonce and the unsigned exchange carries no station time
 * (docs/server-api.md, "Attestation"); its signed requests (here a key rotation) are refused with
 * timestamp_out_of_range and the server's advice to check the station clock; once the clock is right, they pass.
 */
class ClockSkewTest {
    @TempDir Path dir;

    @Test
    void aStationClockBeyondTheLimitIsRefusedWithAMessageThatSaysSoAndRecoversWhenCorrected() throws Exception {
        MovableClock clock = MovableClock.realTime();
        clock.shiftTo(Duration.ofMinutes(5));
        try (StationFixture station = new StationFixture(dir.resolve("station"));
             ServerFixture server = new ServerFixture(Files.createDirectories(dir.resolve("server")), station.tpm().caDirectory(),
                     Duration.ofHours(1))) {
            AgentConfig config = station.productionConfig("skewed", server.url(), server.pin(),
                    Map.of("STATION_AGENT_SERVER_ENROLLMENT_TOKEN", server.issueEnrollmentToken()));
            try (RunningAgent agent = RunningAgent.start(config, clock)) {
                await("PENDING_APPROVAL", () -> agent.identity().state().phase() == EnrollmentPhase.PENDING_APPROVAL);
                server.admin("POST", "/api/v1/admin/machines/" + agent.identity().state().machineId() + "/approve", "{\"reason\":\"skew test\"}");
                await("a passing attestation, whatever the station's clock says",
                        () -> agent.identity().state().attestationPassed());

                AgentClient client = new AgentClient(agent.apiPort(), agent.apiToken().reveal());
                AgentClient.Answer refused = client.post("/v1/key-rotation", "{}");
                assertNotEquals(200, refused.status(), refused.body().toString());
                assertTrue(refused.body().toString().contains("timestamp_out_of_range"), refused.body().toString());
                assertTrue(refused.body().toString().contains("check the station clock"), refused.body().toString());

                clock.shiftTo(Duration.ZERO);
                AgentClient.Answer rotated = client.post("/v1/key-rotation", "{}");
                assertEquals(200, rotated.status(), rotated.body().toString());
            }
        }
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what);
            Thread.sleep(100);
        }
    }
}
