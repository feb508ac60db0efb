package org.stationtrust.server.internal.attest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stationtrust.protocol.EnrollmentState;
import org.stationtrust.server.internal.store.AttestationStore;
import org.stationtrust.server.testing.SoftwareStation;
import org.stationtrust.server.testing.TestServer;

/** Stateless nonces over real HTTP: forged, expired, foreign-purpose and reused nonces are refused and recorded. */
class AttestationNonceTest {
    @TempDir
    Path dir;
    private TestServer server;
    private final SoftwareStation station = new SoftwareStation();
    private String id;

    @BeforeEach
    void start() {
        server = TestServer.start(dir);
        id = server.seedMachine(station, EnrollmentState.ACTIVE, true);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private String nonce(String purpose) {
        HttpResponse<String> r = server.stations.send("POST", "/api/v1/attestation/nonces", "{\"purpose\":\"" + purpose
                + "\"}", id, station::signWithMachineKey);
        assertEquals(201, r.statusCode(), r.body());
        return TestServer.json(r).path("nonce").asText();
    }

    private HttpResponse<String> quote(byte[] nonce, Map<String, String> pcrs) {
        byte[][] q = station.quote(nonce);
        var body = TestServer.JSON.createObjectNode();
        body.put("nonce", Base64.getEncoder().encodeToString(nonce));
        body.put("attest", Base64.getEncoder().encodeToString(q[0]));
        body.put("signature", Base64.getEncoder().encodeToString(q[1]));
        var p = body.putObject("pcrs");
        pcrs.forEach(p::put);
        return server.stations.send("POST", "/api/v1/attestation/quotes", body.toString(), id,
                station::signWithMachineKey);
    }

    private String lastRecorded() {
        AttestationStore.AttestationRecord last = new AttestationStore(server.db).history(id, 1).get(0);
        return last.outcome() + " " + last.detail();
    }

    private void assertRefused(HttpResponse<String> r, String because) {
        assertEquals(403, r.statusCode(), r.body());
        assertEquals("nonce_invalid", TestServer.errorCode(r), r.body());
        assertTrue(r.body().contains(because), r.body());
        assertTrue(lastRecorded().startsWith("FAILED nonce_invalid"), lastRecorded());
    }

    @Test
    void anAlteredNonceIsRefusedAsNotIssuedByThisServerAndTheAttemptRecorded() {
        byte[] n = Base64.getDecoder().decode(nonce("quote"));
        n[7] ^= 0x40;
        assertRefused(quote(n, station.pcrsWire()), "not issued by this server");
    }

    @Test
    void aNonceMadeWithAnotherKeyIsRefused() {
        byte[] n = new NonceTokens("not the server's key, but thirty-two characters".toCharArray())
                .issue(id, "quote", System.currentTimeMillis() + 60_000);
        assertRefused(quote(n, station.pcrsWire()), "another SERVER_NONCE_KEY");
    }

    @Test
    void anExpiredNonceIsRefusedAsExpired() {
        byte[] n = new NonceTokens(TestServer.NONCE_KEY).issue(id, "quote", System.currentTimeMillis() - 5_000);
        assertRefused(quote(n, station.pcrsWire()), "expired");
    }

    @Test
    void aKeyRotationNonceIsNoQuoteNonce() {
        assertRefused(quote(Base64.getDecoder().decode(nonce("key-rotation")), station.pcrsWire()), "another purpose");
    }

    @Test
    void aNonceIsSpentByAFailedAttemptAndCannotBeTriedAgain() {
        byte[] n = Base64.getDecoder().decode(nonce("quote"));
        Map<String, String> wrong = new java.util.TreeMap<>(station.pcrsWire());
        wrong.put("0", Base64.getEncoder().encodeToString(new byte[32]));
        HttpResponse<String> failed = quote(n, wrong);
        assertEquals("quote_invalid", TestServer.errorCode(failed), failed.body());
        assertRefused(quote(n, station.pcrsWire()), "already used");
    }

    @Test
    void aGoodNonceAttestsOnceAndIsThenSpent() {
        byte[] n = Base64.getDecoder().decode(nonce("quote"));
        HttpResponse<String> ok = quote(n, station.pcrsWire());
        assertEquals(200, ok.statusCode(), ok.body());
        assertTrue(lastRecorded().startsWith("PASSED"), lastRecorded());
        assertRefused(quote(n, station.pcrsWire()), "already used");
    }
}
