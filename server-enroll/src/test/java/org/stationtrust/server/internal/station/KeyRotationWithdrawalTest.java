package org.stationtrust.server.internal.station;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stationtrust.server.Role;
import org.stationtrust.server.testing.TestServer;
import org.stationtrust.server.testing.TpmStation;
import org.stationtrust.tpm.IdentityConfig;
import org.stationtrust.tpm.MachineIdentity;
import org.stationtrust.tpm.TpmConnection;
import org.stationtrust.tpm.simulator.SoftwareTpm;

/**
 * Withdrawing a key rotation (docs/server-api.md, "Withdrawing a rotation") against a real swtpm and a real server:
 * once withdrawn, a delayed rotation request with that nonce can never take effect. Nonces here live 4 s, so that
 * the expiry can be waited for.
 */
class KeyRotationWithdrawalTest {
    private static final String NONCES = "/api/v1/attestation/nonces";
    private static final String ROTATION = "/api/v1/stations/key-rotation";
    private static final String WITHDRAWAL = "/api/v1/stations/key-rotation/withdrawal";
    private static final String ME = "/api/v1/stations/me";
    private static final Duration NONCE_TTL = Duration.ofSeconds(4);
    @TempDir
    static Path dir;
    static SoftwareTpm tpm;
    static TpmConnection connection;
    /** A second TPM: a new enrollment with the same EK would replace the machine enrolled before it. */
    static SoftwareTpm otherTpm;
    static TpmConnection otherConnection;
    static TestServer server;
    static int nextHandle = 0x81000300;

    @BeforeAll
    static void start() throws Exception {
        tpm = SoftwareTpm.start(dir.resolve("tpm"));
        connection = TpmConnection.open(tpm.uri());
        otherTpm = SoftwareTpm.start(dir.resolve("other-tpm"));
        otherConnection = TpmConnection.open(otherTpm.uri());
        // one trust store for both simulators' EK CAs
        Path cas = java.nio.file.Files.createDirectories(dir.resolve("ek-cas"));
        for (SoftwareTpm t : new SoftwareTpm[] {tpm, otherTpm}) {
            try (var pems = java.nio.file.Files.list(t.caDirectory())) {
                for (Path pem : pems.toList()) {
                    java.nio.file.Files.copy(pem, cas.resolve(t.caDirectory().getParent().getFileName() + "-"
                            + pem.getFileName()));
                }
            }
        }
        server = TestServer.start(dir.resolve("db"), b -> b.ekTrustStore(cas).rateLimits(100, 100, 100)
                .nonceTtl(NONCE_TTL));
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) server.close();
        if (connection != null) connection.close();
        if (tpm != null) tpm.close();
        if (otherConnection != null) otherConnection.close();
        if (otherTpm != null) otherTpm.close();
    }

    @Test
    void aWithdrawnNonceMakesALaterRotationWithItFailAndTheOldKeyStaysAccepted() throws Exception {
        TpmStation s = ready("withdraw-1");
        String nonce = rotationNonce(s);
        TpmStation.Rotation next = pending(s, nonce);

        HttpResponse<String> withdrawn = s.signed("POST", WITHDRAWAL, withdrawal(nonce));
        assertEquals(200, withdrawn.statusCode(), withdrawn.body());
        JsonNode answer = TestServer.json(withdrawn);
        assertEquals("withdrawn", answer.path("outcome").asText());
        assertEquals(s.machineId, answer.path("machineId").asText());
        String keyId = TestServer.json(s.signed("GET", ME, null)).path("keyId").asText();
        assertEquals(keyId, answer.path("keyId").asText(), "the key that signed stays current");

        // The delayed rotation request arrives now: refused, and nothing changes.
        HttpResponse<String> late = s.signed("POST", ROTATION, next.body());
        assertEquals("nonce_invalid", TestServer.errorCode(late), late.body());
        assertEquals(200, s.signed("GET", ME, null).statusCode(), "the old key is still accepted");
        assertEquals("signature_invalid", TestServer.errorCode(next.station().signed("GET", ME, null)),
                "the new key was never accepted");

        HttpResponse<String> again = s.signed("POST", WITHDRAWAL, withdrawal(nonce));
        assertEquals(200, again.statusCode(), again.body());
        assertEquals("already-withdrawn", TestServer.json(again).path("outcome").asText(), "a retry is answered again");
        String audit = server.as(Role.AUDITOR, "GET", "/api/v1/admin/audit?limit=500", null).body();
        assertTrue(audit.contains("machine.rotation_withdrawn") && audit.contains("key-rotation nonce withdrawn")
                && audit.contains("key-rotation nonce already-withdrawn"), audit);
    }

    @Test
    void aWithdrawalSignedByAKeyOtherThanTheCurrentOneIsRefused() throws Exception {
        TpmStation s = ready("withdraw-2");
        String nonce = rotationNonce(s);
        TpmStation.Rotation next = pending(s, nonce);
        assertEquals("signature_invalid", TestServer.errorCode(next.station().signed("POST", WITHDRAWAL,
                withdrawal(nonce))), "the new key, not accepted yet, cannot withdraw");

        HttpResponse<String> rotated = s.signed("POST", ROTATION, next.body());
        assertEquals(200, rotated.statusCode(), rotated.body());
        assertEquals("signature_invalid", TestServer.errorCode(s.signed("POST", WITHDRAWAL, withdrawal(nonce))),
                "once the rotation took effect, the old key cannot withdraw it");
        assertEquals("conflict", TestServer.errorCode(next.station().signed("POST", WITHDRAWAL, withdrawal(nonce))),
                "a rotation that took effect is not withdrawn by the key it installed either");
        assertEquals(200, next.station().signed("GET", ME, null).statusCode());
    }

    @Test
    void refusesAnotherMachinesNonceAQuoteNonceAndAMalformedOneAndSpendsNothing() throws Exception {
        TpmStation s = ready("withdraw-3");
        TpmStation other = ready(otherConnection, "withdraw-3-other");
        String othersNonce = rotationNonce(other);
        assertEquals("nonce_invalid", TestServer.errorCode(s.signed("POST", WITHDRAWAL, withdrawal(othersNonce))));
        HttpResponse<String> quoteNonce = s.signed("POST", NONCES, "{\"purpose\":\"quote\"}");
        assertEquals("nonce_invalid", TestServer.errorCode(s.signed("POST", WITHDRAWAL,
                withdrawal(TestServer.json(quoteNonce).path("nonce").asText()))));
        assertEquals("invalid_field", TestServer.errorCode(s.signed("POST", WITHDRAWAL, withdrawal("bm90LWEtbm9uY2U="))));
        assertEquals("invalid_field", TestServer.errorCode(s.signed("POST", WITHDRAWAL, withdrawal("%%%"))));
        assertEquals("invalid_field", TestServer.errorCode(s.signed("POST", WITHDRAWAL, "{}")), "the nonce is required");

        // The other machine's nonce was not spent by the refused withdrawal: its rotation still goes through.
        HttpResponse<String> rotated = other.signed("POST", ROTATION, other.prepareRotation(otherConnection, othersNonce).body());
        assertEquals(200, rotated.statusCode(), rotated.body());
    }

    @Test
    void anExpiredNonceIsWithdrawnAsExpiredAndARotationWithItStaysRefused() throws Exception {
        TpmStation s = ready("withdraw-4");
        String nonce = rotationNonce(s);
        TpmStation.Rotation next = pending(s, nonce);
        Thread.sleep(NONCE_TTL.toMillis() + 1_000);
        HttpResponse<String> withdrawn = s.signed("POST", WITHDRAWAL, withdrawal(nonce));
        assertEquals(200, withdrawn.statusCode(), withdrawn.body());
        assertEquals("expired", TestServer.json(withdrawn).path("outcome").asText());
        assertEquals("nonce_invalid", TestServer.errorCode(s.signed("POST", ROTATION, next.body())));
        assertEquals(200, s.signed("GET", ME, null).statusCode());
    }

    /** A new key next to the station's, certified by its AK over {@code nonce}, and the rotation body announcing it. */
    private static TpmStation.Rotation pending(TpmStation s, String nonce) throws Exception {
        return s.prepareRotation(connection, nonce);
    }

    private static String rotationNonce(TpmStation s) {
        HttpResponse<String> n = s.signed("POST", NONCES, "{\"purpose\":\"key-rotation\"}");
        assertEquals(201, n.statusCode(), n.body());
        return TestServer.json(n).path("nonce").asText();
    }

    private static String withdrawal(String nonce) {
        return TestServer.JSON.createObjectNode().put("nonce", nonce).toString();
    }

    /** Enrolled, activated, approved and attested: a station that may rotate its key. */
    private static TpmStation ready(String name) throws Exception {
        return ready(connection, name);
    }

    private static TpmStation ready(TpmConnection tpmConnection, String name) throws Exception {
        int base = nextHandle;
        nextHandle += 2;
        TpmStation s = new TpmStation(MachineIdentity.provision(tpmConnection, IdentityConfig.defaults()
                .withHandles(IdentityConfig.DEFAULT_STORAGE_ROOT, base, base + 1)), server.stations, name);
        HttpResponse<String> r = s.enroll(s.enrollmentBody());
        assertEquals(201, r.statusCode(), r.body());
        HttpResponse<String> a = s.activate(TestServer.json(r));
        assertEquals(200, a.statusCode(), a.body());
        HttpResponse<String> approved = server.as(Role.APPROVER, "POST", "/api/v1/admin/machines/" + s.machineId
                + "/approve", "{\"reason\":\"withdrawal test\"}");
        assertEquals(200, approved.statusCode(), approved.body());
        HttpResponse<String> attested = s.attest();
        assertEquals(200, attested.statusCode(), attested.body());
        return s;
    }
}
