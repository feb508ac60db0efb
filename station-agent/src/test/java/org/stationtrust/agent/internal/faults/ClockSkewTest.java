package org.stationtrust.agent.internal.faults;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.stationtrust.agent.AgentConfig;
import org.stationtrust.agent.internal.identity.StationState.EnrollmentPhase;
import org.stationtrust.agent.internal.service.RunningAgent;
import org.stationtrust.agent.testing.AgentClient;
import org.stationtrust.agent.testing.ServerFixture;
import org.stationtrust.agent.testing.StationFixture;
import org.stationtrust.agent.testing.MovableClock;

/**
 * A station whose clock is 5 minutes ahead of the server's (the limit is 60 s): its signed requests are
 * refused with timestamp_out_of_range, the agent's log says so with the server's advice to check the
 * station clock, no attestation passes; once the clock is right, the next attestation passes by itself.
 */
class ClockSkewTest {
    @TempDir Path dir;

    @Test
    void aStationClockBeyondTheLimitIsRefusedWithAMessageThatSaysSoAndRecoversWhenCorrected() throws Exception {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        ListAppender<ILoggingEvent> events = new ListAppender<>();
        // Appended from the code's own threads while the test reads it.
        events.list = new java.util.concurrent.CopyOnWriteArrayList<>();
        events.setContext(context);
        events.start();
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(events);
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
                await("the refusal to be logged", () -> events.list.stream().anyMatch(ClockSkewTest::isSkewRefusal));

                ILoggingEvent refusal = events.list.stream().filter(ClockSkewTest::isSkewRefusal).findFirst().orElseThrow();
                assertTrue(refusal.getLevel().isGreaterOrEqual(Level.WARN), refusal.toString());
                assertTrue(refusal.getFormattedMessage().contains("check the station clock"), refusal.getFormattedMessage());
                assertFalse(agent.identity().state().attestationPassed(), "no attestation passes with a wrong clock");

                clock.shiftTo(Duration.ZERO);
                AgentClient client = new AgentClient(agent.apiPort(), agent.apiToken().reveal());
                client.post("/v1/attestations", "{}");
                await("a passing attestation once the clock is right", () -> agent.identity().state().attestationPassed());
            }
        } finally {
            root.detachAppender(events);
        }
    }

    private static boolean isSkewRefusal(ILoggingEvent e) {
        return e.getFormattedMessage().contains("timestamp_out_of_range");
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what);
            Thread.sleep(100);
        }
    }
}
