package org.stationtrust.sbi.simulator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.stationtrust.sbi.simulator.TestDevices.EMPTY_SHA256_HEX;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.MGF1ParameterSpec;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AuthenticationCaptureTest {
    private static KeyPair serverKeys;
    private static X509Certificate serverCert;
    private static SimulatedDevice slap;

    @BeforeAll
    static void start() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        serverKeys = g.generateKeyPair();
        // Any RSA certificate will do as the "MOSIP server" certificate; issue one from the test CA.
        serverCert = TestDevices.CA.issueDeviceCertificate(serverKeys.getPublic(), "Auth server",
                Instant.now().minusSeconds(60), Instant.now().plusSeconds(86_400));
        slap = SbiSimulator.start(TestDevices.config(DeviceKind.FINGER_SLAP).purpose("Auth")
                .encryptionCertificate(serverCert).build());
    }

    @AfterAll
    static void stop() {
        slap.close();
    }

    private static ObjectNode authRequest(List<String> subTypes, int count) {
        ObjectNode req = TestDevices.rcapture(DeviceKind.FINGER_SLAP, 1, count, List.of(), EMPTY_SHA256_HEX);
        req.put("purpose", "Auth");
        req.put("domainUri", "https://auth.example.org");
        ArrayNode st = ((ObjectNode) req.get("bio").get(0)).putArray("bioSubType");
        subTypes.forEach(st::add);
        return req;
    }

    @Test
    void authenticationCaptureDecryptsWithTheMatchingPrivateKey() throws Exception {
        ObjectNode req = authRequest(List.of("Left IndexFinger"), 1);
        JsonNode biometrics = TestDevices.call(slap, "CAPTURE", "/capture", req).get("biometrics");
        assertEquals(1, biometrics.size());
        JsonNode e = biometrics.get(0);
        assertEquals("0", TestDevices.errorCode(e));
        assertEquals(HexFormat.of().withUpperCase().formatHex(TestDevices.sha256(serverCert.getEncoded())),
                e.get("thumbprint").asText());
        TestDevices.Jws jws = TestDevices.Jws.parse(e.get("data").asText());
        assertTrue(jws.verifiesWith(jws.x5c()));
        JsonNode data = jws.payloadJson();
        assertEquals("Auth", data.get("purpose").asText());
        assertEquals("https://auth.example.org", data.get("domainUri").asText());
        assertEquals("Left IndexFinger", data.get("bioSubType").asText());

        byte[] iso = decrypt(serverKeys.getPrivate(), e.get("sessionKey").asText(), data.get("bioValue").asText(),
                data.get("timestamp").asText(), data.get("transactionId").asText());
        IsoHeaders h = IsoHeaders.finger(iso);
        assertEquals("FIR\0", h.format());
        assertEquals(7, h.position(), "ISO position of the left index finger");
        assertEquals(TestDevices.chainHash(EMPTY_SHA256_HEX, iso), e.get("hash").asText(),
                "hash covers the ISO record before encryption");
    }

    @Test
    void anotherPrivateKeyCannotDecrypt() throws Exception {
        JsonNode e = TestDevices.call(slap, "CAPTURE", "/capture", authRequest(List.of("UNKNOWN"), 1))
                .get("biometrics").get(0);
        JsonNode data = TestDevices.Jws.parse(e.get("data").asText()).payloadJson();
        assertEquals("UNKNOWN", data.get("bioSubType").asText());
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        PrivateKey other = g.generateKeyPair().getPrivate();
        assertThrows(GeneralSecurityException.class, () -> decrypt(other, e.get("sessionKey").asText(),
                data.get("bioValue").asText(), data.get("timestamp").asText(), data.get("transactionId").asText()));
        // The right key with a tampered AAD source fails the GCM tag.
        assertThrows(AEADBadTagException.class, () -> decrypt(serverKeys.getPrivate(), e.get("sessionKey").asText(),
                data.get("bioValue").asText(), "2000-01-01T00:00:00Z", data.get("transactionId").asText()));
    }

    @Test
    void withoutAnEncryptionCertificateCaptureAnswers108() throws Exception {
        try (SimulatedDevice plain = TestDevices.start(DeviceKind.FINGER_SLAP)) {
            JsonNode e = TestDevices.call(plain, "CAPTURE", "/capture", authRequest(List.of("Left IndexFinger"), 1))
                    .get("biometrics").get(0);
            assertEquals("108", TestDevices.errorCode(e));
        }
    }

    /** SBI 0.9.5 §Capture response, written from the spec text without the simulator's code. */
    private static byte[] decrypt(PrivateKey key, String sessionKey, String bioValue, String timestamp,
                                  String transactionId) throws GeneralSecurityException {
        Cipher rsa = Cipher.getInstance("RSA/ECB/OAEPWithSHA-256AndMGF1Padding");
        rsa.init(Cipher.DECRYPT_MODE, key,
                new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT));
        byte[] aesKey = rsa.doFinal(TestDevices.b64url(sessionKey));
        byte[] ts = timestamp.getBytes(StandardCharsets.UTF_8);
        byte[] tx = transactionId.getBytes(StandardCharsets.UTF_8);
        int n = Math.max(ts.length, tx.length);
        byte[] a = new byte[n];
        byte[] b = new byte[n];
        System.arraycopy(ts, 0, a, n - ts.length, ts.length);
        System.arraycopy(tx, 0, b, n - tx.length, tx.length);
        byte[] xor = new byte[n];
        for (int i = 0; i < n; i++) {
            xor[i] = (byte) (a[i] ^ b[i]);
        }
        Cipher aes = Cipher.getInstance("AES/GCM/NoPadding");
        aes.init(Cipher.DECRYPT_MODE, new SecretKeySpec(aesKey, "AES"),
                new GCMParameterSpec(128, Arrays.copyOfRange(xor, n - 12, n)));
        aes.updateAAD(Arrays.copyOfRange(xor, n - 16, n));
        return aes.doFinal(TestDevices.b64url(bioValue));
    }
}
