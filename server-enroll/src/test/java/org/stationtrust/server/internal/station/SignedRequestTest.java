package org.stationtrust.server.internal.station;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyPair;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stationtrust.protocol.EnrollmentState;
import org.stationtrust.server.testing.SoftwareStation;
import org.stationtrust.server.testing.StationClient;
import org.stationtrust.server.testing.TestServer;

/** Signed station requests with plain JCA ES256 keys: each check of the verifier can fail. */
class SignedRequestTest {
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

    private static long now() {
        return System.currentTimeMillis() / 1000;
    }

    private HttpResponse<String> me(String machineId, KeyPair key) {
        return server.stations.send("GET", "/api/v1/stations/me", null, machineId, StationClient.jcaSigner(key));
    }

    @Test
    void acceptsARequestSignedByTheEnrolledKeyOfAnAttestedMachine() {
        SoftwareStation s = new SoftwareStation();
        String id = server.seedMachine(s, EnrollmentState.ACTIVE, true);
        HttpResponse<String> r = me(id, s.machineKey());
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(id, TestServer.json(r).path("machineId").asText());
    }

    @Test
    void refusesARequestWithoutSignature() {
        HttpResponse<String> r = server.stations.sendRaw("GET", "/api/v1/stations/me", null, null);
        assertEquals(401, r.statusCode());
        assertEquals("signature_missing", TestServer.errorCode(r));
    }

    @Test
    void refusesASignatureByAnotherKey() {
        SoftwareStation s = new SoftwareStation();
        String id = server.seedMachine(s, EnrollmentState.ACTIVE, true);
        HttpResponse<String> r = me(id, SoftwareStation.p256());
        assertEquals("signature_invalid", TestServer.errorCode(r));
    }

    @Test
    void refusesAnUnknownMachine() {
        assertEquals("machine_unknown", TestServer.errorCode(me("nosuchmachine", SoftwareStation.p256())));
    }

    @Test
    void refusesAStaleTimestamp() {
        SoftwareStation s = new SoftwareStation();
        String id = server.seedMachine(s, EnrollmentState.ACTIVE, true);
        String p = StationClient.payload("GET", "/api/v1/stations/me", new byte[0], now() - 600, StationClient.randomNonce());
        HttpResponse<String> r = server.stations.sendRaw("GET", "/api/v1/stations/me", null,
                StationClient.header(id, p, StationClient.jcaSigner(s.machineKey())));
        assertEquals(401, r.statusCode());
        assertEquals("timestamp_out_of_range", TestServer.errorCode(r));
    }

    @Test
    void refusesAReplayedRequest() {
        SoftwareStation s = new SoftwareStation();
        String id = server.seedMachine(s, EnrollmentState.ACTIVE, true);
        String p = StationClient.payload("GET", "/api/v1/stations/me", new byte[0], now(), StationClient.randomNonce());
        String header = StationClient.header(id, p, StationClient.jcaSigner(s.machineKey()));
        assertEquals(200, server.stations.sendRaw("GET", "/api/v1/stations/me", null, header).statusCode());
        HttpResponse<String> replay = server.stations.sendRaw("GET", "/api/v1/stations/me", null, header);
        assertEquals("request_replayed", TestServer.errorCode(replay));
    }

    private static String issuedNonce(String id, SoftwareStation s) {
        HttpResponse<String> n = server.stations.send("POST", "/api/v1/attestation/nonces", "{}", id,
                StationClient.jcaSigner(s.machineKey()));
        assertEquals(201, n.statusCode(), n.body());
        return TestServer.json(n).path("nonce").asText();
    }

    private static int attestationRows(String id) {
        return new org.stationtrust.server.internal.store.AttestationStore(server.db).history(id, 100).size();
    }

    @Test
    void aReplayedQuoteRequestIsRefusedAsAReplayAndRecordsNoSecondAttestation() {
        SoftwareStation s = new SoftwareStation();
        String id = server.seedMachine(s, EnrollmentState.ACTIVE, true);
        String body = s.quoteBody(issuedNonce(id, s));
        String p = StationClient.payload("POST", "/api/v1/attestation/quotes", StationClient.bytes(body), now(),
                StationClient.randomNonce());
        String header = StationClient.header(id, p, StationClient.jcaSigner(s.machineKey()));
        int before = attestationRows(id);
        HttpResponse<String> first = server.stations.sendRaw("POST", "/api/v1/attestation/quotes", body, header);
        assertEquals(200, first.statusCode(), first.body());
        assertEquals(before + 1, attestationRows(id));
        HttpResponse<String> replay = server.stations.sendRaw("POST", "/api/v1/attestation/quotes", body, header);
        assertEquals("request_replayed", TestServer.errorCode(replay), replay.body());
        assertEquals(before + 1, attestationRows(id), "a replay records neither a pass nor a failure");
    }

    @Test
    void aQuoteRequestReusingAnotherRequestsNonceIsRefusedAndLeavesTheAttestationNonceUnspent() {
        SoftwareStation s = new SoftwareStation();
        String id = server.seedMachine(s, EnrollmentState.ACTIVE, true);
        String requestNonce = StationClient.randomNonce();
        String me = StationClient.payload("GET", "/api/v1/stations/me", new byte[0], now(), requestNonce);
        assertEquals(200, server.stations.sendRaw("GET", "/api/v1/stations/me", null,
                StationClient.header(id, me, StationClient.jcaSigner(s.machineKey()))).statusCode());
        String body = s.quoteBody(issuedNonce(id, s));
        int before = attestationRows(id);
        String reused = StationClient.payload("POST", "/api/v1/attestation/quotes", StationClient.bytes(body), now(),
                requestNonce);
        HttpResponse<String> refused = server.stations.sendRaw("POST", "/api/v1/attestation/quotes", body,
                StationClient.header(id, reused, StationClient.jcaSigner(s.machineKey())));
        assertEquals("request_replayed", TestServer.errorCode(refused), refused.body());
        assertEquals(before, attestationRows(id), "nothing recorded for the refused request");
        // Its transaction rolled back whole: the server's attestation nonce is still unspent and works once.
        HttpResponse<String> fresh = server.stations.send("POST", "/api/v1/attestation/quotes", body, id,
                StationClient.jcaSigner(s.machineKey()));
        assertEquals(200, fresh.statusCode(), fresh.body());
        assertEquals(before + 1, attestationRows(id));
    }

    @Test
    void refusesASignatureMadeForAnotherPathOrBody() {
        SoftwareStation s = new SoftwareStation();
        String id = server.seedMachine(s, EnrollmentState.ACTIVE, true);
        String p = StationClient.payload("POST", "/api/v1/attestation/nonces", new byte[0], now(), StationClient.randomNonce());
        HttpResponse<String> r = server.stations.sendRaw("GET", "/api/v1/stations/me", null,
                StationClient.header(id, p, StationClient.jcaSigner(s.machineKey())));
        assertEquals("signature_invalid", TestServer.errorCode(r));
        String p2 = StationClient.payload("POST", "/api/v1/attestation/nonces", "{\"purpose\":\"quote\"}".getBytes(),
                now(), StationClient.randomNonce());
        HttpResponse<String> r2 = server.stations.sendRaw("POST", "/api/v1/attestation/nonces",
                "{\"purpose\":\"key-rotation\"}", StationClient.header(id, p2, StationClient.jcaSigner(s.machineKey())));
        assertEquals("signature_invalid", TestServer.errorCode(r2));
    }

    @Test
    void refusesRevokedPendingAndRejectedMachines() {
        for (EnrollmentState st : new EnrollmentState[] {EnrollmentState.REVOKED, EnrollmentState.PENDING_APPROVAL,
                EnrollmentState.REJECTED}) {
            SoftwareStation s = new SoftwareStation();
            String id = server.seedMachine(s, st, true);
            HttpResponse<String> r = me(id, s.machineKey());
            assertEquals(403, r.statusCode(), st + ": " + r.body());
            assertEquals("machine_not_active", TestServer.errorCode(r));
        }
    }

    @Test
    void refusesAnActiveMachineThatHasNotAttestedButLetsItAskForANonce() {
        SoftwareStation s = new SoftwareStation();
        String id = server.seedMachine(s, EnrollmentState.ACTIVE, false);
        assertEquals("machine_unattested", TestServer.errorCode(me(id, s.machineKey())));
        HttpResponse<String> nonce = server.stations.send("POST", "/api/v1/attestation/nonces", "{}", id,
                StationClient.jcaSigner(s.machineKey()));
        assertEquals(201, nonce.statusCode(), nonce.body());
    }

    @Test
    void refusesAJwsWithAnotherAlgorithmOrExtraHeader() {
        SoftwareStation s = new SoftwareStation();
        String id = server.seedMachine(s, EnrollmentState.ACTIVE, true);
        java.util.Base64.Encoder b = java.util.Base64.getUrlEncoder().withoutPadding();
        String p = StationClient.payload("GET", "/api/v1/stations/me", new byte[0], now(), StationClient.randomNonce());
        for (String header : new String[] {
                "{\"alg\":\"none\",\"kid\":\"" + id + "\",\"typ\":\"station-request+jws\"}",
                "{\"alg\":\"ES256\",\"kid\":\"" + id + "\",\"typ\":\"station-request+jws\",\"jwk\":{}}",
                "{\"alg\":\"ES256\",\"kid\":\"" + id + "\",\"typ\":\"capture-packet+jws\"}"}) {
            String input = b.encodeToString(header.getBytes()) + "." + b.encodeToString(p.getBytes());
            String jws = input + "." + b.encodeToString(SoftwareStation.sign(s.machineKey(), input.getBytes()));
            HttpResponse<String> r = server.stations.sendRaw("GET", "/api/v1/stations/me", null, jws);
            assertEquals("signature_invalid", TestServer.errorCode(r), header);
        }
    }
}
