package org.stationtrust.server.internal.station;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stationtrust.protocol.EnrollmentState;
import org.stationtrust.server.Role;
import org.stationtrust.server.testing.SoftwareStation;
import org.stationtrust.server.testing.StationClient;
import org.stationtrust.server.testing.TestServer;

/** A station that stopped attesting is visible and refused; an expired nonce is refused. */
class AttestationTimingTest {
    @TempDir
    static Path dir;
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(dir, b -> b.attestationInterval(Duration.ofSeconds(1)).nonceTtl(Duration.ofSeconds(1)));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aMachineWhoseLastSuccessIsTooOldIsFlaggedOverdueAndRefused() throws Exception {
        SoftwareStation s = new SoftwareStation();
        String id = server.seedMachine(s, EnrollmentState.ACTIVE, true);
        Thread.sleep(1500);
        HttpResponse<String> r = server.stations.send("GET", "/api/v1/stations/me", null, id,
                StationClient.jcaSigner(s.machineKey()));
        assertEquals("machine_unattested", TestServer.errorCode(r));
        assertEquals("OVERDUE", TestServer.json(server.as(Role.AUDITOR, "GET", "/api/v1/admin/machines/" + id
                + "/attestations", null)).path("attestationStatus").asText());
    }

    @Test
    void anExpiredNonceIsRefused() throws Exception {
        SoftwareStation s = new SoftwareStation();
        String id = server.seedMachine(s, EnrollmentState.ACTIVE, true);
        HttpResponse<String> n = server.stations.send("POST", "/api/v1/attestation/nonces", "{}", id,
                StationClient.jcaSigner(s.machineKey()));
        String nonce = TestServer.json(n).path("nonce").asText();
        Thread.sleep(1200);
        byte[][] q = s.quote(java.util.Base64.getDecoder().decode(nonce));
        var body = TestServer.JSON.createObjectNode();
        body.put("nonce", nonce);
        body.put("attest", java.util.Base64.getEncoder().encodeToString(q[0]));
        body.put("signature", java.util.Base64.getEncoder().encodeToString(q[1]));
        var pcrs = body.putObject("pcrs");
        s.pcrsWire().forEach(pcrs::put);
        HttpResponse<String> r = server.stations.send("POST", "/api/v1/attestation/quotes", body.toString(), id,
                StationClient.jcaSigner(s.machineKey()));
        assertEquals("nonce_invalid", TestServer.errorCode(r), r.body());
    }
}
