package org.stationtrust.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stationtrust.protocol.EnrollmentState;
import org.stationtrust.server.internal.enroll.EnrollmentService;
import org.stationtrust.server.testing.RawHttp;
import org.stationtrust.server.testing.SoftwareEnrollee;
import org.stationtrust.server.testing.TestServer;

/**
 * Attacks on another station's enrollment (issue 13, item 2): replaying its public EK with one's own AK and machine
 * key, and sending wrong activation secrets for its machine id. The attacker speaks from 127.0.0.2, the station
 * from 127.0.0.1.
 */
class EnrollmentAttacksTest {
    @TempDir
    Path dir;

    @Test
    void anEnrollmentWithAStolenEkCancelsNothingAndTheGenuineReEnrollmentSupersedesAfterActivation() throws Exception {
        try (TestServer server = TestServer.start(dir)) {
            SoftwareEnrollee station = new SoftwareEnrollee("reg-laptop-7");
            HttpResponse<String> begun = server.stations.sendRaw("POST", "/api/v1/enrollments", station.enrollmentBody(), null);
            assertEquals(201, begun.statusCode(), begun.body());
            JsonNode challenge = TestServer.json(begun);
            station.machineId = challenge.path("machineId").asText();

            // The attacker presents the station's EK with its own keys, from another address, twice.
            SoftwareEnrollee thief = SoftwareEnrollee.withEkOf("reg-laptop-7", station);
            String thiefId = null;
            for (int i = 0; i < 2; i++) {
                RawHttp.Answer a = RawHttp.exchange("127.0.0.2", server.server.port(), "POST", "/api/v1/enrollments",
                        "Content-Type: application/json\r\n", thief.enrollmentBody());
                assertEquals(201, a.status(), a.body());
                thiefId = TestServer.json(a.body()).path("machineId").asText();
            }
            assertEquals(EnrollmentState.PENDING_ACTIVATION, server.state(station.machineId),
                    "the station's enrollment is not superseded by an enrollment that has not proven the EK");

            // It cannot activate its own (it lacks the EK's private key) ...
            ObjectNode fake = (ObjectNode) TestServer.JSON.readTree(thief.activationBodyWithSecret(new byte[32],
                    TestServer.json(begun)));
            RawHttp.Answer own = RawHttp.exchange("127.0.0.2", server.server.port(), "POST", "/api/v1/enrollments/"
                    + thiefId + "/activation", "Content-Type: application/json\r\n", fake.toString());
            assertEquals("activation_failed", own.errorCode(), own.body());
            // ... nor reject the station's with wrong secrets, however many.
            for (int i = 0; i < EnrollmentService.MAX_ACTIVATION_ATTEMPTS + 2; i++) {
                RawHttp.Answer wrong = RawHttp.exchange("127.0.0.2", server.server.port(), "POST", "/api/v1/enrollments/"
                        + station.machineId + "/activation", "Content-Type: application/json\r\n", fake.toString());
                assertEquals("activation_failed", wrong.errorCode(), wrong.body());
            }
            assertEquals(EnrollmentState.PENDING_ACTIVATION, server.state(station.machineId),
                    "wrong secrets from another address do not reject the station's enrollment");

            // The station activates: it proves the EK, and the thief's pending enrollments are superseded.
            HttpResponse<String> activated = server.stations.sendRaw("POST", "/api/v1/enrollments/" + station.machineId
                    + "/activation", station.activationBody(challenge), null);
            assertEquals(200, activated.statusCode(), activated.body());
            assertEquals(EnrollmentState.PENDING_APPROVAL, server.state(station.machineId));
            assertEquals(EnrollmentState.REJECTED, server.state(thiefId), "superseded once the EK was proven");

            // A genuine re-enrollment (new AK and machine key, same TPM) supersedes the pending one only when it
            // activates; until then both are pending side by side.
            SoftwareEnrollee again = SoftwareEnrollee.withEkOf("reg-laptop-7", station);
            HttpResponse<String> second = server.stations.sendRaw("POST", "/api/v1/enrollments", again.enrollmentBody(), null);
            assertEquals(201, second.statusCode(), second.body());
            again.machineId = TestServer.json(second).path("machineId").asText();
            assertEquals(EnrollmentState.PENDING_APPROVAL, server.state(station.machineId), "both exist until then");
            HttpResponse<String> pending = server.as(Role.AUDITOR, "GET", "/api/v1/admin/machines", null);
            assertTrue(pending.body().contains(station.machineId) && pending.body().contains(again.machineId));
            assertEquals(200, server.stations.sendRaw("POST", "/api/v1/enrollments/" + again.machineId + "/activation",
                    again.activationBody(TestServer.json(second)), null).statusCode());
            assertEquals(EnrollmentState.REJECTED, server.state(station.machineId), "superseded after activation");
            assertEquals(EnrollmentState.PENDING_APPROVAL, server.state(again.machineId));
            String audit = server.as(Role.AUDITOR, "GET", "/api/v1/admin/audit", null).body();
            assertTrue(audit.contains("enrollment.supersede") && audit.contains("proof of possession"), audit);
        }
    }

    @Test
    void wrongSecretsFromTheEnrollingAddressStillRejectAfterThreeAttempts() throws Exception {
        try (TestServer server = TestServer.start(dir)) {
            SoftwareEnrollee station = new SoftwareEnrollee("reg-laptop-8");
            HttpResponse<String> begun = server.stations.sendRaw("POST", "/api/v1/enrollments", station.enrollmentBody(), null);
            station.machineId = TestServer.json(begun).path("machineId").asText();
            String wrong = station.activationBodyWithSecret(new byte[32], TestServer.json(begun));
            for (int i = 0; i < EnrollmentService.MAX_ACTIVATION_ATTEMPTS; i++) {
                assertEquals("activation_failed", TestServer.errorCode(server.stations.sendRaw("POST",
                        "/api/v1/enrollments/" + station.machineId + "/activation", wrong, null)));
            }
            assertEquals(EnrollmentState.REJECTED, server.state(station.machineId));
        }
    }
}
