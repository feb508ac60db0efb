package org.stationtrust.server.internal.enroll;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stationtrust.protocol.EnrollmentState;
import org.stationtrust.server.Role;
import org.stationtrust.server.testing.StationClient;
import org.stationtrust.server.testing.TestServer;
import org.stationtrust.server.testing.TpmStation;
import org.stationtrust.tpm.EndorsementKey;
import org.stationtrust.tpm.IdentityConfig;
import org.stationtrust.tpm.MachineIdentity;
import org.stationtrust.tpm.TpmConnection;
import org.stationtrust.tpm.simulator.SoftwareTpm;

/**
 * The whole protocol against a real swtpm through the tpm module: enroll, activate, approve, attest,
 * signed request, rotate, revoke, and each refusal on the way.
 */
class EnrollmentProtocolTest {
    @TempDir
    static Path dir;
    static SoftwareTpm tpm;
    static SoftwareTpm otherTpm;
    static TpmConnection connection;
    static TpmConnection otherConnection;
    static TestServer server;
    static int nextHandle = 0x81000200;

    @BeforeAll
    static void start() throws Exception {
        tpm = SoftwareTpm.start(dir.resolve("tpm"));
        otherTpm = SoftwareTpm.start(dir.resolve("other-tpm"));
        connection = TpmConnection.open(tpm.uri());
        otherConnection = TpmConnection.open(otherTpm.uri());
        server = TestServer.start(dir.resolve("db"), b -> b.ekTrustStore(tpm.caDirectory()).rateLimits(100, 100, 100));
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) server.close();
        if (connection != null) connection.close();
        if (otherConnection != null) otherConnection.close();
        if (tpm != null) tpm.close();
        if (otherTpm != null) otherTpm.close();
    }

    /** A fresh AK and machine key at new handles in the given TPM: a "new station" on the same EK. */
    static TpmStation station(TpmConnection conn, String name) throws Exception {
        int base = nextHandle;
        nextHandle += 2;
        MachineIdentity id = MachineIdentity.provision(conn, IdentityConfig.defaults()
                .withHandles(IdentityConfig.DEFAULT_STORAGE_ROOT, base, base + 1));
        return new TpmStation(id, server.stations, name);
    }

    static TpmStation activated(String name) throws Exception {
        TpmStation s = station(connection, name);
        HttpResponse<String> r = s.enroll(s.enrollmentBody());
        assertEquals(201, r.statusCode(), r.body());
        HttpResponse<String> a = s.activate(TestServer.json(r));
        assertEquals(200, a.statusCode(), a.body());
        return s;
    }

    static HttpResponse<String> decide(Role role, String id, String action, String reason) {
        return server.as(role, "POST", "/api/v1/admin/machines/" + id + "/" + action,
                "{\"reason\":\"" + reason + "\"}");
    }

    @Test
    void enrollActivateApproveAttestSignRotateRevoke() throws Exception {
        TpmStation s = station(connection, "registration-laptop-1");
        HttpResponse<String> r = s.enroll(s.enrollmentBody());
        assertEquals(201, r.statusCode(), r.body());
        JsonNode challenge = TestServer.json(r);
        assertTrue(challenge.path("ekVerified").asBoolean());
        assertEquals("PENDING_ACTIVATION", challenge.path("state").asText());

        HttpResponse<String> a = s.activate(challenge);
        assertEquals(200, a.statusCode(), a.body());
        assertEquals("PENDING_APPROVAL", TestServer.json(a).path("state").asText());

        JsonNode pending = TestServer.json(server.as(Role.AUDITOR, "GET", "/api/v1/admin/enrollments", null));
        JsonNode mine = null;
        for (JsonNode e : pending.path("enrollments")) if (e.path("machineId").asText().equals(s.machineId)) mine = e;
        assertTrue(mine != null, pending.toString());
        assertTrue(mine.path("ekCertificateIssuer").asText().contains("swtpm"), mine.toString());
        assertFalse(mine.path("ekCertificateSerial").asText().isEmpty());
        assertFalse(mine.path("tpmManufacturer").asText().isEmpty(), "from the EK certificate's SAN: " + mine);
        assertEquals(8, mine.path("firstQuotePcrs").size(), "first quote's PCRs 0-7 are shown");
        assertEquals("127.0.0.1", mine.path("requestSource").asText());

        assertEquals("machine_not_active", TestServer.errorCode(s.signed("GET", "/api/v1/stations/me", null)),
                "not approved yet");
        HttpResponse<String> approved = decide(Role.APPROVER, s.machineId, "approve", "known laptop, asset 1234");
        assertEquals(200, approved.statusCode(), approved.body());
        assertEquals("ACTIVE", TestServer.json(approved).path("state").asText());

        assertEquals("machine_unattested", TestServer.errorCode(s.signed("GET", "/api/v1/stations/me", null)),
                "approved but not attested yet");
        HttpResponse<String> att = s.attest();
        assertEquals(200, att.statusCode(), att.body());
        HttpResponse<String> me = s.signed("GET", "/api/v1/stations/me", null);
        assertEquals(200, me.statusCode(), me.body());
        assertEquals("OK", TestServer.json(me).path("attestationStatus").asText());
        long interval = org.stationtrust.server.ServerConfig.builder("jdbc:sqlite:unused")
                .tls(org.stationtrust.server.ServerConfig.TlsMode.PLAINTEXT).build().attestationInterval().toSeconds();
        assertEquals(interval, TestServer.json(att).path("attestationIntervalSeconds").asLong(),
                "the quote's answer tells the station the server's attestation interval");
        assertEquals(interval, TestServer.json(me).path("attestationIntervalSeconds").asLong());

        // Capture packet signed once by the TPM key, verified by the server against the enrolled key.
        String packetJws = packetJws(s, new String(org.stationtrust.server.testing.TestPackets.payload(s.machineId,
                "packet-1", "op1"), java.nio.charset.StandardCharsets.UTF_8));
        HttpResponse<String> pv = server.as(Role.AUDITOR, "POST", "/api/v1/packets/verify",
                "{\"packet\":\"" + packetJws + "\"}");
        assertEquals(200, pv.statusCode(), pv.body());
        assertEquals("current", TestServer.json(pv).path("keyStatus").asText());
        String tampered = packetJws.substring(0, packetJws.indexOf('.') + 1) + Base64.getUrlEncoder().withoutPadding()
                .encodeToString("{\"operator\":\"op2\"}".getBytes()) + packetJws.substring(packetJws.lastIndexOf('.'));
        assertEquals("packet_invalid", TestServer.errorCode(server.as(Role.AUDITOR, "POST", "/api/v1/packets/verify",
                "{\"packet\":\"" + tampered + "\"}")));

        // Rotate: the new key is made next to the old one (second handle, same AK), certified by the AK over a
        // rotation nonce; the request is signed by the old key. Afterwards only the new key works.
        HttpResponse<String> n = s.signed("POST", "/api/v1/attestation/nonces", "{\"purpose\":\"key-rotation\"}");
        assertEquals(201, n.statusCode(), n.body());
        String nonce = TestServer.json(n).path("nonce").asText();
        TpmStation.Rotation rotation = s.prepareRotation(connection, nonce);
        TpmStation rotated = rotation.station();
        String rot = rotation.body();
        assertEquals("signature_invalid", TestServer.errorCode(rotated.signed("POST", "/api/v1/stations/key-rotation",
                rot)), "a rotation signed by the new key alone is refused");
        HttpResponse<String> done = s.signed("POST", "/api/v1/stations/key-rotation", rot);
        assertEquals(200, done.statusCode(), done.body());
        assertEquals("signature_invalid", TestServer.errorCode(s.signed("GET", "/api/v1/stations/me", null)),
                "the old key stopped working");
        assertEquals(200, rotated.signed("GET", "/api/v1/stations/me", null).statusCode());
        HttpResponse<String> oldPacket = server.as(Role.AUDITOR, "POST", "/api/v1/packets/verify",
                "{\"packet\":\"" + packetJws + "\"}");
        assertEquals("retired", TestServer.json(oldPacket).path("keyStatus").asText(), oldPacket.body());

        // Revoke: an admin's decision with a reason; the machine is refused from then on.
        assertEquals(403, decide(Role.APPROVER, s.machineId, "revoke", "laptop stolen").statusCode(),
                "approvers cannot revoke");
        HttpResponse<String> revoked = decide(Role.ADMIN, s.machineId, "revoke", "laptop stolen");
        assertEquals(200, revoked.statusCode(), revoked.body());
        assertEquals("machine_not_active", TestServer.errorCode(rotated.signed("GET", "/api/v1/stations/me", null)));
        assertEquals("machine_not_active", TestServer.errorCode(rotated.attest()));
        assertEquals("packet_invalid", TestServer.errorCode(server.as(Role.AUDITOR, "POST", "/api/v1/packets/verify",
                "{\"packet\":\"" + packetJws + "\"}")));
        JsonNode audit = TestServer.json(server.as(Role.AUDITOR, "GET", "/api/v1/admin/audit/verify", null));
        assertTrue(audit.path("intact").asBoolean(), audit.toString());
    }

    static String packetJws(TpmStation s, String payload) {
        Base64.Encoder b = Base64.getUrlEncoder().withoutPadding();
        String input = b.encodeToString(("{\"alg\":\"ES256\",\"kid\":\"" + s.machineId
                + "\",\"typ\":\"capture-packet+jws\"}").getBytes()) + "." + b.encodeToString(payload.getBytes());
        return input + "." + b.encodeToString(s.signer().apply(input.getBytes()));
    }

    @Test
    void acceptsAnEkCertificateFollowedByNvPaddingAndRecordsThePadding() throws Exception {
        TpmStation s = station(connection, "padded-ek");
        ObjectNode body = s.enrollmentBody();
        byte[] der = Base64.getDecoder().decode(body.path("ekCertificate").asText());
        byte[] padded = java.util.Arrays.copyOf(der, der.length + 37);
        java.util.Arrays.fill(padded, der.length, padded.length, (byte) 0xFF);
        body.put("ekCertificate", Base64.getEncoder().encodeToString(padded));

        HttpResponse<String> r = s.enroll(body);

        assertEquals(201, r.statusCode(), r.body());
        assertTrue(TestServer.json(r).path("ekVerified").asBoolean());
        String audit = server.as(Role.AUDITOR, "GET", "/api/v1/admin/audit?limit=50", null).body();
        assertTrue(audit.contains(s.machineId) && audit.contains("followed by 37 bytes of NV padding"), audit);
    }

    @Test
    void refusesAnEkCertificateThatIsCutShort() throws Exception {
        TpmStation s = station(connection, "cut-ek");
        ObjectNode body = s.enrollmentBody();
        byte[] der = Base64.getDecoder().decode(body.path("ekCertificate").asText());
        body.put("ekCertificate", Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(der, der.length - 10)));

        HttpResponse<String> r = s.enroll(body);

        assertEquals("invalid_field", TestServer.errorCode(r), r.body());
    }

    @Test
    void refusesAnActivationQuoteWhoseNonceFieldIsNotTheIssuedNonce() throws Exception {
        TpmStation s = station(connection, "nonce-field");
        HttpResponse<String> r = s.enroll(s.enrollmentBody());
        JsonNode challenge = TestServer.json(r);
        byte[] issued = TpmStation.d(challenge.path("quoteNonce").asText());

        HttpResponse<String> a = s.activateWith(s.recoverSecret(challenge), issued,
                Base64.getEncoder().encodeToString(new byte[32]));

        assertEquals("nonce_invalid", TestServer.errorCode(a), a.body());
        assertEquals(EnrollmentState.PENDING_ACTIVATION, server.state(s.machineId));
        assertEquals(200, s.activateWith(s.recoverSecret(challenge), issued).statusCode(),
                "the same proof with the issued nonce still activates");
    }

    @Test
    void refusesAnEkCertificateFromAnUntrustedCa() throws Exception {
        TpmStation s = station(otherConnection, "foreign-tpm");
        HttpResponse<String> r = s.enroll(s.enrollmentBody());
        assertEquals(422, r.statusCode(), r.body());
        assertEquals("ek_certificate_untrusted", TestServer.errorCode(r));
    }

    @Test
    void refusesAnEkPublicThatDoesNotMatchTheCertificate() throws Exception {
        TpmStation s = station(connection, "mismatch");
        ObjectNode body = s.enrollmentBody();
        List<EndorsementKey> all = EndorsementKey.readAll(connection);
        EndorsementKey other = all.stream().filter(k -> !k.equals(s.identity().endorsementKey())).findFirst()
                .orElseThrow();
        body.put("ekPublic", Base64.getEncoder().encodeToString(other.publicArea().encoded()));
        HttpResponse<String> r = s.enroll(body);
        assertEquals("ek_mismatch", TestServer.errorCode(r), r.body());
    }

    @Test
    void refusesAMachineKeyCertificationForAnotherKey() throws Exception {
        TpmStation s = station(connection, "certify");
        TpmStation t = station(connection, "certify-other");
        ObjectNode body = s.enrollmentBody();
        body.put("machineKeyPublic", t.enrollmentBody().path("machineKeyPublic").asText());
        assertEquals("certification_invalid", TestServer.errorCode(s.enroll(body)));
    }

    @Test
    void refusesAWrongActivationProofAndRejectsAfterThreeAttempts() throws Exception {
        TpmStation s = station(connection, "wrong-proof");
        HttpResponse<String> r = s.enroll(s.enrollmentBody());
        byte[] nonce = TpmStation.d(TestServer.json(r).path("quoteNonce").asText());
        for (int i = 0; i < EnrollmentService.MAX_ACTIVATION_ATTEMPTS; i++) {
            HttpResponse<String> a = s.activateWith(new byte[32], nonce);
            assertEquals("activation_failed", TestServer.errorCode(a), a.body());
        }
        assertEquals(EnrollmentState.REJECTED, server.state(s.machineId));
        assertEquals("enrollment_not_pending", TestServer.errorCode(s.activate(TestServer.json(r))));
    }

    @Test
    void refusesAReusedAttestationNonce() throws Exception {
        TpmStation s = activated("nonce-reuse");
        assertEquals(200, decide(Role.APPROVER, s.machineId, "approve", "ok to go").statusCode());
        HttpResponse<String> n = s.signed("POST", "/api/v1/attestation/nonces", "{}");
        String nonce = TestServer.json(n).path("nonce").asText();
        String quote = s.quoteJson(TpmStation.d(nonce), nonce).toString();
        assertEquals(200, s.signed("POST", "/api/v1/attestation/quotes", quote).statusCode());
        HttpResponse<String> again = s.signed("POST", "/api/v1/attestation/quotes", quote);
        assertEquals("nonce_invalid", TestServer.errorCode(again));
        assertEquals("machine_unattested", TestServer.errorCode(s.signed("GET", "/api/v1/stations/me", null)),
                "a failed attestation flags the machine: fail closed");
        JsonNode history = TestServer.json(server.as(Role.AUDITOR, "GET", "/api/v1/admin/machines/" + s.machineId
                + "/attestations", null));
        assertEquals("FAILED", history.path("attestationStatus").asText());
        assertEquals("FAILED", history.path("history").get(0).path("outcome").asText());
        assertEquals("PASSED", history.path("history").get(1).path("outcome").asText());
        assertFalse(history.path("lastSuccess").isNull());
        assertEquals(200, s.attest().statusCode(), "a fresh attestation clears the flag");
        assertEquals(200, s.signed("GET", "/api/v1/stations/me", null).statusCode());
    }

    @Test
    void refusesAQuoteWhosePcrsDifferFromTheGoldenValues() throws Exception {
        TpmStation s = activated("golden");
        assertEquals(200, decide(Role.APPROVER, s.machineId, "approve", "ok to go").statusCode());
        HttpResponse<String> g = server.as(Role.ADMIN, "PUT", "/api/v1/admin/machines/" + s.machineId + "/golden-pcrs",
                "{\"pcrs\":{\"0\":\"" + "ab".repeat(32) + "\"},\"reason\":\"new firmware baseline\"}");
        assertEquals(200, g.statusCode(), g.body());
        HttpResponse<String> att = s.attest();
        assertEquals("pcr_policy_violation", TestServer.errorCode(att), att.body());
    }

    @Test
    void refusesStaleAndReplayedRequestsSignedByTheTpm() throws Exception {
        TpmStation s = activated("replay");
        assertEquals(200, decide(Role.APPROVER, s.machineId, "approve", "ok to go").statusCode());
        assertEquals(200, s.attest().statusCode());
        long now = System.currentTimeMillis() / 1000;
        String stale = StationClient.header(s.machineId, StationClient.payload("GET", "/api/v1/stations/me", new byte[0],
                now - 3600, StationClient.randomNonce()), s.signer());
        assertEquals("timestamp_out_of_range", TestServer.errorCode(server.stations.sendRaw("GET", "/api/v1/stations/me",
                null, stale)));
        String fresh = StationClient.header(s.machineId, StationClient.payload("GET", "/api/v1/stations/me", new byte[0],
                now, StationClient.randomNonce()), s.signer());
        assertEquals(200, server.stations.sendRaw("GET", "/api/v1/stations/me", null, fresh).statusCode());
        assertEquals("request_replayed", TestServer.errorCode(server.stations.sendRaw("GET", "/api/v1/stations/me",
                null, fresh)));
    }

    @Test
    void reEnrollmentOfAKnownEkIsVisibleAndOnlyAnAdminMayApproveAnUnverifiedEk() throws Exception {
        TpmStation first = activated("reenroll");
        assertEquals(200, decide(Role.APPROVER, first.machineId, "approve", "first image").statusCode());
        TpmStation second = station(connection, "reenroll");
        ObjectNode body = second.enrollmentBody();
        body.remove("ekCertificate");
        HttpResponse<String> r = second.enroll(body);
        assertEquals(201, r.statusCode(), r.body());
        JsonNode ch = TestServer.json(r);
        assertEquals(first.machineId, ch.path("reenrollmentOf").asText(), "the known EK is reported");
        assertFalse(ch.path("ekVerified").asBoolean());
        assertEquals(200, second.activate(ch).statusCode());
        HttpResponse<String> byApprover = decide(Role.APPROVER, second.machineId, "approve", "new disk image");
        assertEquals("forbidden", TestServer.errorCode(byApprover), byApprover.body());
        assertEquals("forbidden", TestServer.errorCode(decide(Role.AUDITOR, second.machineId, "approve", "x y z")));
        assertEquals(EnrollmentState.ACTIVE, server.state(first.machineId), "never a silent overwrite");
        HttpResponse<String> byAdmin = decide(Role.ADMIN, second.machineId, "approve", "TPM cleared, ticket 77");
        assertEquals(200, byAdmin.statusCode(), byAdmin.body());
        assertEquals(EnrollmentState.REVOKED, server.state(first.machineId), "the replaced machine is revoked");
        assertTrue(server.as(Role.AUDITOR, "GET", "/api/v1/admin/audit", null).body().contains("RE-ENROLLMENT"));
    }

    @Test
    void aRejectedEnrollmentStaysRejected() throws Exception {
        TpmStation s = activated("rejected");
        assertEquals("invalid_field", TestServer.errorCode(decide(Role.APPROVER, s.machineId, "reject", "")),
                "a reason is mandatory");
        assertEquals(200, decide(Role.APPROVER, s.machineId, "reject", "unknown device").statusCode());
        assertEquals("enrollment_not_pending", TestServer.errorCode(decide(Role.ADMIN, s.machineId, "approve",
                "changed my mind")));
        assertEquals(EnrollmentState.REJECTED, server.state(s.machineId));
    }

    @Test
    void aOneTimeEnrollmentTokenWorksOnce() throws Exception {
        JsonNode t = TestServer.json(server.as(Role.ADMIN, "POST", "/api/v1/admin/enrollment-tokens",
                "{\"note\":\"laptop 7\"}"));
        TpmStation s = station(connection, "with-token");
        ObjectNode body = s.enrollmentBody();
        body.put("enrollmentToken", t.path("token").asText());
        assertEquals(201, s.enroll(body).statusCode());
        TpmStation u = station(connection, "token-reuse");
        ObjectNode body2 = u.enrollmentBody();
        body2.put("enrollmentToken", t.path("token").asText());
        assertEquals("enrollment_token_invalid", TestServer.errorCode(u.enroll(body2)));
    }
}
