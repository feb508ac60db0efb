package org.stationtrust.agent.internal.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stationtrust.agent.AgentConfig;
import org.stationtrust.agent.PinnedTls;
import org.stationtrust.agent.PublicKeyPin;
import org.stationtrust.agent.internal.identity.StationState.EnrollmentPhase;
import org.stationtrust.agent.internal.service.RunningAgent;
import org.stationtrust.agent.testing.AgentClient;
import org.stationtrust.agent.testing.ServerFixture;
import org.stationtrust.agent.testing.StationFixture;

/**
 * The server's key and certificate change as docs/server-api.md ("Server key rotation") says, and the station keeps
 * attesting throughout: a certificate renewed with the same key needs no change on the station; a new key is
 * announced as the second pin before the server switches to it. Real server, real TLS, real agent on swtpm.
 */
class ServerKeyRotationTest {
    @TempDir Path dir;

    @Test
    void aRenewedCertificateAndAnAnnouncedNewKeyKeepTheStationAttesting() throws Exception {
        try (StationFixture station = new StationFixture(dir.resolve("station"));
             ServerFixture server = new ServerFixture(Files.createDirectories(dir.resolve("server")),
                     station.tpm().caDirectory(), Duration.ofHours(1), true)) {
            String firstPin = server.pin();
            AgentConfig pinnedToFirst = station.productionConfig("rotating", server.url(), firstPin,
                    Map.of("STATION_AGENT_SERVER_ENROLLMENT_TOKEN", server.issueEnrollmentToken()));
            try (RunningAgent agent = RunningAgent.start(pinnedToFirst, Clock.systemUTC())) {
                await("PENDING_APPROVAL", () -> agent.identity().state().phase() == EnrollmentPhase.PENDING_APPROVAL);
                server.admin("POST", "/api/v1/admin/machines/" + agent.identity().state().machineId() + "/approve",
                        "{\"reason\":\"rotation test\"}");
                awaitPassingAttestation(agent, java.util.Optional.empty());

                // 1. Renewal: a new certificate for the same key; the station's configuration does not change.
                String before = server.certificateFingerprint();
                server.stop();
                server.renewCertificate();
                server.restart();
                assertNotEquals(before, server.certificateFingerprint(), "the server shows a new certificate");
                assertEquals(firstPin, server.pin(), "for the same key");
                awaitPassingAttestation(agent, agent.identity().state().lastAttestedAt());
            }

            // 2. Announcement: the next key's pin is added to the stations' configuration while the old key still serves.
            String nextPin = server.prepareNextKey();
            AgentConfig pinnedToBoth = station.productionConfig("rotating", server.url(), List.of(firstPin, nextPin), Map.of());
            try (RunningAgent agent = RunningAgent.start(pinnedToBoth, Clock.systemUTC())) {
                awaitPassingAttestation(agent, agent.identity().state().lastAttestedAt());

                // 3. Switch: the server moves to the new key; the station goes on without a change.
                server.stop();
                server.switchToNextKey();
                server.restart();
                assertEquals(nextPin, server.pin());
                awaitPassingAttestation(agent, agent.identity().state().lastAttestedAt());
            }

            // A station that was never told of the new key is refused by its pin, not silently trusting.
            HttpClient onlyFirst = ServerHttp.client(URI.create(server.url()), List.of(PublicKeyPin.parse(firstPin)),
                    Duration.ofSeconds(5));
            SSLHandshakeException refused = assertThrows(SSLHandshakeException.class, () -> onlyFirst.send(
                    HttpRequest.newBuilder(URI.create(server.url() + "/health")).GET().build(),
                    HttpResponse.BodyHandlers.discarding()));
            Throwable cause = refused;
            while (cause != null && !(cause instanceof PinnedTls.ServerCertificateNotPinned)) cause = cause.getCause();
            assertTrue(cause != null, "refused because of the pin: " + refused);
        }
    }

    /** Asks for an attestation and waits until one passed after {@code previous} (an ISO instant, or null). */
    private static void awaitPassingAttestation(RunningAgent agent, java.util.Optional<java.time.Instant> previous) throws Exception {
        new AgentClient(agent.apiPort(), agent.apiToken().reveal()).post("/v1/attestations", "{}");
        await("a passing attestation after " + previous, () -> {
            var s = agent.identity().state();
            return s.attestationPassed() && s.lastAttestedAt().isPresent()
                    && (previous.isEmpty() || s.lastAttestedAt().orElseThrow().isAfter(previous.get()));
        });
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what);
            Thread.sleep(100);
        }
    }
}
