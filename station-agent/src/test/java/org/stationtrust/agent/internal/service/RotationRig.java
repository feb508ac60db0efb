package org.stationtrust.agent.internal.service;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.stationtrust.agent.AgentConfig;
import org.stationtrust.agent.PublicKeyPin;
import org.stationtrust.agent.internal.identity.StationState.EnrollmentPhase;
import org.stationtrust.agent.internal.server.ServerClient;
import org.stationtrust.agent.internal.server.ServerHttp;
import org.stationtrust.agent.testing.RotationProxy;
import org.stationtrust.agent.testing.ServerFixture;
import org.stationtrust.agent.testing.StationFixture;

/**
 * What the key-rotation tests share: a station on swtpm, a real server-enroll, a real HTTPS proxy between them that
 * can lose or delay the rotation, and a client that reaches the server directly (past the proxy).
 */
final class RotationRig implements AutoCloseable {
    final StationFixture station;
    final ServerFixture server;
    final RotationProxy proxy;
    final ServerClient direct;

    RotationRig(Path dir) throws Exception {
        station = new StationFixture(dir.resolve("station"));
        try {
            server = new ServerFixture(Files.createDirectories(dir.resolve("server")), station.tpm().caDirectory(),
                    Duration.ofHours(1), true);
        } catch (Exception | Error e) {
            station.close();
            throw e;
        }
        try {
            proxy = new RotationProxy(server.url(), server.keystore(), server.keystorePassword());
        } catch (Exception | Error e) {
            server.close();
            station.close();
            throw e;
        }
        direct = new ServerClient(ServerHttp.client(URI.create(server.url()), List.of(PublicKeyPin.parse(server.pin())),
                Duration.ofSeconds(10)), URI.create(server.url()), Duration.ofSeconds(30));
    }

    /** A production configuration that enrolls through the proxy with a fresh enrollment token. */
    AgentConfig enrollingConfig(String name) throws Exception {
        return station.productionConfig(name, proxy.url(), server.pin(),
                Map.of("STATION_AGENT_SERVER_ENROLLMENT_TOKEN", server.issueEnrollmentToken()));
    }

    /** Waits for the enrollment, approves it, and waits for its first passing attestation. */
    void awaitActive(RunningAgent agent) throws Exception {
        await("enrollment to reach PENDING_APPROVAL",
                () -> agent.identity().state().phase() == EnrollmentPhase.PENDING_APPROVAL);
        server.admin("POST", "/api/v1/admin/machines/" + agent.identity().state().machineId() + "/approve",
                "{\"reason\":\"rotation test\"}");
        await("approval and a passing attestation", () -> agent.identity().state().phase() == EnrollmentPhase.ACTIVE
                && agent.identity().state().attestationPassed());
    }

    static void await(String what, Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (!condition.call()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what);
            Thread.sleep(100);
        }
    }

    @Override
    public void close() {
        proxy.close();
        server.close();
        station.close();
    }
}
