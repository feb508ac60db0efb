package org.stationtrust.server.internal.station;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stationtrust.protocol.EnrollmentState;
import org.stationtrust.server.Role;
import org.stationtrust.server.testing.SoftwareStation;
import org.stationtrust.server.testing.StationClient;
import org.stationtrust.server.testing.TestServer;

/**
 * The unsigned attestation exchange (docs/server-api.md, "Attestation"): a quote nonce asked for without a
 * signature, and a quote that authenticates itself. What a stranger can and cannot do with it, over real HTTP.
 */
class QuoteAuthenticatedAttestationTest {
    private static final String NONCES = "/api/v1/attestation/nonces";
    private static final String QUOTES = "/api/v1/attestation/quotes";
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

    private static HttpResponse<String> unsigned(String path, String body) {
        return server.stations.sendRaw("POST", path, body, null);
    }

    private static String nonceFor(String machineId) {
        HttpResponse<String> r = unsigned(NONCES, "{\"purpose\":\"quote\",\"machineId\":\"" + machineId + "\"}");
        assertEquals(201, r.statusCode(), r.body());
        return TestServer.json(r).path("nonce").asText();
    }

    /** The quote body a station sends unsigned: its quote over the nonce, made with the given station's AK. */
    private static ObjectNode quote(SoftwareStation quotedBy, String nonce, String machineId) {
        byte[][] q = quotedBy.quote(Base64.getDecoder().decode(nonce));
        ObjectNode body = TestServer.JSON.createObjectNode();
        body.put("nonce", nonce);
        body.put("attest", Base64.getEncoder().encodeToString(q[0]));
        body.put("signature", Base64.getEncoder().encodeToString(q[1]));
        quotedBy.pcrsWire().forEach(body.putObject("pcrs")::put);
        body.put("machineId", machineId);
        return body;
    }

    private static JsonNode history(String id) {
        return TestServer.json(server.as(Role.AUDITOR, "GET", "/api/v1/admin/machines/" + id + "/attestations", null));
    }

    @Test
    void anUnsignedNonceAndAQuoteByTheMachinesAkPassAndAreRecorded() {
        SoftwareStation s = new SoftwareStation();
        String id = server.seedMachine(s, EnrollmentState.ACTIVE, true);
        int before = history(id).path("history").size();
        HttpResponse<String> r = unsigned(QUOTES, quote(s, nonceFor(id), id).toString());
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("PASSED", TestServer.json(r).path("result").asText());
        assertEquals(id, TestServer.json(r).path("machineId").asText());
        JsonNode h = history(id);
        assertEquals(before + 1, h.path("history").size());
        assertEquals("OK", h.path("attestationStatus").asText());
    }

    @Test
    void anUnsignedNonceIsIssuedForAnyWellFormedIdSoItTellsNoOneWhichMachinesExist() {
        HttpResponse<String> r = unsigned(NONCES, "{\"purpose\":\"quote\",\"machineId\":\"0123456789abcdef0123456789abcdef\"}");
        assertEquals(201, r.statusCode(), r.body());
        assertEquals(32, Base64.getDecoder().decode(TestServer.json(r).path("nonce").asText()).length);
        assertTrue(TestServer.json(r).path("eventLogSha256").isMissingNode(), "no held digest without a signature");
        HttpResponse<String> bad = unsigned(NONCES, "{\"purpose\":\"quote\",\"machineId\":\"../../etc\"}");
        assertEquals(400, bad.statusCode(), bad.body());
    }

    @Test
    void aKeyRotationNonceAndANonceWithoutAMachineNeedASignature() {
        HttpResponse<String> rotation = unsigned(NONCES, "{\"purpose\":\"key-rotation\",\"machineId\":\"abc\"}");
        assertEquals("signature_missing", TestServer.errorCode(rotation), rotation.body());
        HttpResponse<String> nameless = unsigned(NONCES, "{\"purpose\":\"quote\"}");
        assertEquals(400, nameless.statusCode(), nameless.body());
        assertTrue(nameless.body().contains("machineId"), nameless.body());
    }

    @Test
    void aQuoteNotMadeByTheMachinesAkIsRefusedAndRecordsNothingSpendsNothingAndFlagsNothing() {
        SoftwareStation s = new SoftwareStation();
        String id = server.seedMachine(s, EnrollmentState.ACTIVE, true);
        int before = history(id).path("history").size();
        String nonce = nonceFor(id);
        // a stranger's software AK quotes the machine's genuine nonce
        HttpResponse<String> forged = unsigned(QUOTES, quote(new SoftwareStation(), nonce, id).toString());
        assertEquals("quote_invalid", TestServer.errorCode(forged), forged.body());
        JsonNode h = history(id);
        assertEquals(before, h.path("history").size(), "nothing recorded against the machine");
        assertEquals("OK", h.path("attestationStatus").asText(), "the machine is not flagged");
        // the nonce was not spent: the machine itself can still use it
        HttpResponse<String> genuine = unsigned(QUOTES, quote(s, nonce, id).toString());
        assertEquals(200, genuine.statusCode(), genuine.body());
    }

    @Test
    void aReplayedUnsignedQuoteIsRefusedWithoutARecord() {
        SoftwareStation s = new SoftwareStation();
        String id = server.seedMachine(s, EnrollmentState.ACTIVE, true);
        String body = quote(s, nonceFor(id), id).toString();
        assertEquals(200, unsigned(QUOTES, body).statusCode());
        int after = history(id).path("history").size();
        HttpResponse<String> replay = unsigned(QUOTES, body);
        assertEquals("nonce_invalid", TestServer.errorCode(replay), replay.body());
        JsonNode h = history(id);
        assertEquals(after, h.path("history").size());
        assertEquals("OK", h.path("attestationStatus").asText());
    }

    @Test
    void aNonceIssuedForOneMachineDoesNotServeAnother() {
        SoftwareStation a = new SoftwareStation();
        String idA = server.seedMachine(a, EnrollmentState.ACTIVE, true);
        SoftwareStation b = new SoftwareStation();
        String idB = server.seedMachine(b, EnrollmentState.ACTIVE, true);
        HttpResponse<String> r = unsigned(QUOTES, quote(b, nonceFor(idA), idB).toString());
        assertEquals("nonce_invalid", TestServer.errorCode(r), r.body());
        assertEquals("OK", history(idB).path("attestationStatus").asText());
    }

    @Test
    void aVerifiedQuoteThatBreaksThePcrPolicyIsTheMachinesOwnFailureRecordedAndFlagged() {
        SoftwareStation s = new SoftwareStation();
        String id = server.seedMachine(s, EnrollmentState.ACTIVE, true);
        int before = history(id).path("history").size();
        s.pcrs().put(4, SoftwareStation.sha256("another boot loader".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        HttpResponse<String> r = unsigned(QUOTES, quote(s, nonceFor(id), id).toString());
        assertEquals("pcr_policy_violation", TestServer.errorCode(r), r.body());
        JsonNode h = history(id);
        assertEquals(before + 1, h.path("history").size());
        assertNotEquals("OK", h.path("attestationStatus").asText());
    }

    @Test
    void aMachineThatIsNotActiveCannotAttestUnsigned() {
        SoftwareStation s = new SoftwareStation();
        String id = server.seedMachine(s, EnrollmentState.REVOKED, true);
        HttpResponse<String> r = unsigned(QUOTES, quote(s, nonceFor(id), id).toString());
        assertEquals("machine_not_active", TestServer.errorCode(r), r.body());
    }

    @Test
    void anUnsignedQuoteGetsOnlyTheStandardBodyLimitSoAWholeEventLogMustComeSigned() {
        SoftwareStation s = new SoftwareStation();
        String id = server.seedMachine(s, EnrollmentState.ACTIVE, true);
        ObjectNode body = quote(s, nonceFor(id), id);
        body.put("eventLog", Base64.getEncoder().encodeToString(new byte[64 * 1024]));
        HttpResponse<String> r = unsigned(QUOTES, body.toString());
        assertEquals(413, r.statusCode(), r.body());
        assertEquals("OK", history(id).path("attestationStatus").asText());
    }

    @Test
    void aSignedQuoteNamingAnotherMachineIsRefused() {
        SoftwareStation s = new SoftwareStation();
        String id = server.seedMachine(s, EnrollmentState.ACTIVE, true);
        HttpResponse<String> n = server.stations.send("POST", NONCES, "{}", id, StationClient.jcaSigner(s.machineKey()));
        ObjectNode body = quote(s, TestServer.json(n).path("nonce").asText(), "someone-else");
        HttpResponse<String> r = server.stations.send("POST", QUOTES, body.toString(), id,
                StationClient.jcaSigner(s.machineKey()));
        assertEquals("invalid_field", TestServer.errorCode(r), r.body());
        assertFalse(r.body().contains("PASSED"));
    }
}
