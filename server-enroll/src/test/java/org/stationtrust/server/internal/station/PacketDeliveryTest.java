package org.stationtrust.server.internal.station;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stationtrust.protocol.EnrollmentState;
import org.stationtrust.server.testing.SoftwareStation;
import org.stationtrust.server.testing.StationClient;
import org.stationtrust.server.testing.TestPackets;
import org.stationtrust.server.testing.TestServer;

/** Stations deliver signed capture packets: verified, acknowledged idempotently, only a receipt kept. */
class PacketDeliveryTest {
    @TempDir
    static Path dir;
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(dir);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static String delivery(String packetId, String jws) {
        return "{\"packetId\":\"" + packetId + "\",\"packet\":\"" + jws + "\"}";
    }

    static HttpResponse<String> deliver(SoftwareStation s, String id, String body) {
        return server.stations.send("POST", "/api/v1/packets", body, id, StationClient.jcaSigner(s.machineKey()));
    }

    @Test
    void aSignedPacketIsAcknowledgedOnceAndAResendAgain() {
        SoftwareStation s = new SoftwareStation();
        String id = server.seedMachine(s, EnrollmentState.ACTIVE, true);
        String jws = s.jws("capture-packet+jws", id, TestPackets.payload(id, "p-1", "secret-template"));
        HttpResponse<String> first = deliver(s, id, delivery("p-1", jws));
        assertEquals(201, first.statusCode(), first.body());
        HttpResponse<String> again = deliver(s, id, delivery("p-1", jws));
        assertEquals(200, again.statusCode(), again.body());
        assertTrue(TestServer.json(again).path("duplicate").asBoolean());
        String other = s.jws("capture-packet+jws", id, TestPackets.payload(id, "p-1", "another"));
        assertEquals("conflict", TestServer.errorCode(deliver(s, id, delivery("p-1", other))));
        String stored = server.db.withConnection(c -> {
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT * FROM packet_receipts")) {
                StringBuilder b = new StringBuilder();
                while (rs.next()) for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) b.append(rs.getString(i));
                return b.toString();
            }
        });
        assertTrue(!stored.contains("secret-template") && !stored.contains(jws.substring(0, 40)), "only a receipt is kept");
    }

    @Test
    void auditorsListOneReceiptPerDeliveredPacketAndNeverItsContent() {
        SoftwareStation s = new SoftwareStation();
        String id = server.seedMachine(s, EnrollmentState.ACTIVE, true);
        for (int i = 0; i < 3; i++) {
            String jws = s.jws("capture-packet+jws", id, TestPackets.payload(id, "list-" + i, "template-" + i));
            assertEquals(201, deliver(s, id, delivery("list-" + i, jws)).statusCode());
            assertEquals(200, deliver(s, id, delivery("list-" + i, jws)).statusCode(), "a resend is acknowledged again");
        }
        HttpResponse<String> listed = server.as(org.stationtrust.server.Role.AUDITOR, "GET",
                "/api/v1/admin/machines/" + id + "/packets", null);
        assertEquals(200, listed.statusCode(), listed.body());
        var body = TestServer.json(listed);
        assertEquals(3, body.path("total").asLong());
        java.util.Set<String> ids = new java.util.TreeSet<>();
        body.path("packets").forEach(p -> ids.add(p.path("packetId").asText()));
        assertEquals(java.util.Set.of("list-0", "list-1", "list-2"), ids);
        assertTrue(!listed.body().contains("template-"), "receipts only");
        assertEquals(1, TestServer.json(server.as(org.stationtrust.server.Role.AUDITOR, "GET",
                "/api/v1/admin/machines/" + id + "/packets?limit=1", null)).path("packets").size());
        assertEquals("invalid_field", TestServer.errorCode(server.as(org.stationtrust.server.Role.AUDITOR, "GET",
                "/api/v1/admin/machines/" + id + "/packets?limit=0", null)));
        assertEquals("not_found", TestServer.errorCode(server.as(org.stationtrust.server.Role.AUDITOR, "GET",
                "/api/v1/admin/machines/" + "f".repeat(32) + "/packets", null)));
    }

    @Test
    void refusesTamperedForeignAndUnattestedDeliveries() {
        SoftwareStation s = new SoftwareStation();
        String id = server.seedMachine(s, EnrollmentState.ACTIVE, true);
        String jws = s.jws("capture-packet+jws", id, TestPackets.payload(id, "p-2", "op-1"));
        String otherPayload = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(TestPackets.payload(id, "p-2", "op-2"));
        String tampered = jws.substring(0, jws.indexOf('.') + 1) + otherPayload + jws.substring(jws.lastIndexOf('.'));
        assertEquals("packet_invalid", TestServer.errorCode(deliver(s, id, delivery("p-2", tampered))));
        SoftwareStation t = new SoftwareStation();
        String other = server.seedMachine(t, EnrollmentState.ACTIVE, true);
        String foreign = t.jws("capture-packet+jws", other, TestPackets.payload(other, "p-3", "op-1"));
        assertEquals("forbidden", TestServer.errorCode(deliver(s, id, delivery("p-3", foreign))));
        assertEquals("invalid_field", TestServer.errorCode(deliver(s, id, delivery("bad id with spaces", jws))));
        SoftwareStation u = new SoftwareStation();
        String unattested = server.seedMachine(u, EnrollmentState.ACTIVE, false);
        assertEquals("machine_unattested", TestServer.errorCode(deliver(u, unattested, delivery("p-4",
                u.jws("capture-packet+jws", unattested, TestPackets.payload(unattested, "p-4", "x"))))));
    }

    static HttpResponse<String> verifyAsAuditor(String jws) {
        return server.as(org.stationtrust.server.Role.AUDITOR, "POST", "/api/v1/packets/verify",
                "{\"packet\":\"" + jws + "\"}");
    }

    @Test
    void aSignedCapturePacketJwsWhosePayloadIsNotJsonIsRefusedWithItsReason() {
        SoftwareStation s = new SoftwareStation();
        String id = server.seedMachine(s, EnrollmentState.ACTIVE, true);
        String notJson = s.jws("capture-packet+jws", id, "not json at all".getBytes(java.nio.charset.StandardCharsets.UTF_8));

        HttpResponse<String> verified = verifyAsAuditor(notJson);
        HttpResponse<String> delivered = deliver(s, id, delivery("p-5", notJson));

        assertEquals("packet_invalid", TestServer.errorCode(verified), verified.body());
        assertTrue(verified.body().contains("not a capture packet"), verified.body());
        assertEquals("packet_invalid", TestServer.errorCode(delivered), delivered.body());
    }

    @Test
    void aPacketWhoseMachineIdIsNotItsSignerIsRefused() {
        SoftwareStation s = new SoftwareStation();
        String id = server.seedMachine(s, EnrollmentState.ACTIVE, true);
        String claimsAnother = s.jws("capture-packet+jws", id, TestPackets.payload("f".repeat(32), "p-6", "x"));

        HttpResponse<String> verified = verifyAsAuditor(claimsAnother);
        HttpResponse<String> delivered = deliver(s, id, delivery("p-6", claimsAnother));

        assertEquals("packet_invalid", TestServer.errorCode(verified), verified.body());
        assertTrue(verified.body().contains("machineId"), verified.body());
        assertEquals("packet_invalid", TestServer.errorCode(delivered), delivered.body());
    }

    @Test
    void verificationReportsTheMachinesStateAndAttestationStatusNextToValid() {
        SoftwareStation s = new SoftwareStation();
        String id = server.seedMachine(s, EnrollmentState.ACTIVE, true);
        String jws = s.jws("capture-packet+jws", id, TestPackets.payload(id, "p-7", "x"));
        var healthy = TestServer.json(verifyAsAuditor(jws));
        assertTrue(healthy.path("valid").asBoolean(), healthy.toString());
        assertEquals("ACTIVE", healthy.path("machineState").asText());
        assertEquals("OK", healthy.path("attestationStatus").asText());
        assertEquals("p-7", healthy.path("packetId").asText());

        server.db.inTransaction(c -> {
            new org.stationtrust.server.internal.store.AttestationStore(server.db).recordAttestation(c, id, false,
                    "quote refused", null);
            return null;
        });
        var flagged = TestServer.json(verifyAsAuditor(jws));

        assertTrue(flagged.path("valid").asBoolean(), "the signature still holds: " + flagged);
        assertEquals("FAILED", flagged.path("attestationStatus").asText(), flagged.toString());
    }
}
