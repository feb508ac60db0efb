package org.stationtrust.sbi.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stationtrust.sbi.client.internal.DeviceJwsVerifier;
import org.stationtrust.sbi.client.internal.VerifiedJws;
import org.stationtrust.sbi.client.testing.TestPki;
import org.stationtrust.testsupport.MovableClock;

class DeviceJwsVerifierTest {
    private static final TestPki PKI = new TestPki("Trusted Provider CA");
    private static final TestPki OTHER = new TestPki("Untrusted Provider CA");
    private static final String PAYLOAD = "{\"deviceId\":\"1\"}";

    private final DeviceJwsVerifier verifier = verifier(Clock.systemUTC(), Set.of("RS256"));

    private static DeviceJwsVerifier verifier(Clock clock, Set<String> algs) {
        return new DeviceJwsVerifier(DeviceTrustStore.of(PKI.caList()), algs, clock);
    }

    private RejectionReason reasonFor(String jws) {
        return assertThrows(DeviceAnswerRejected.class, () -> verifier.verify(jws, "deviceInfo")).reason();
    }

    @Test
    void acceptsRs256SignedByATrustedDeviceCertificate() throws Exception {
        VerifiedJws v = verifier.verify(TestPki.signRs256(PAYLOAD, PKI.deviceKeys.getPrivate(), PKI.device), "x");
        assertArrayEquals(PAYLOAD.getBytes(StandardCharsets.UTF_8), v.payload());
        assertEquals(PKI.device, v.signer());
    }

    @Test
    void rejectsAnRsa1024DeviceKeyEvenWhenItChainsToATrustedCa() {
        KeyPair weak = TestPki.rsa(1024);
        X509Certificate cert = PKI.deviceCertificate(weak.getPublic(), Instant.now().minus(Duration.ofHours(1)),
                Instant.now().plus(Duration.ofDays(1)));
        DeviceAnswerRejected e = assertThrows(DeviceAnswerRejected.class,
                () -> verifier.verify(TestPki.signRs256(PAYLOAD, weak.getPrivate(), cert), "deviceInfo"));
        assertEquals(RejectionReason.CERTIFICATE_KEY_TOO_WEAK, e.reason());
        assertTrue(e.getMessage().contains("1024-bit RSA"), e.getMessage());
    }

    @Test
    void acceptsAnEcP256DeviceKeyWhenEs256IsAllowed() throws Exception {
        KeyPair ec = TestPki.ec();
        X509Certificate cert = PKI.deviceCertificate(ec.getPublic(), Instant.now().minus(Duration.ofHours(1)),
                Instant.now().plus(Duration.ofDays(1)));
        String jws = TestPki.signWithHeader("{\"alg\":\"ES256\",\"x5c\":[\"" + TestPki.x5c(cert) + "\"]}",
                PAYLOAD, ec.getPrivate());
        assertEquals(cert, verifier(Clock.systemUTC(), Set.of("ES256")).verify(jws, "deviceInfo").signer());
    }

    @Test
    void rejectsAlgNoneAlways() {
        String none = TestPki.b64url("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + TestPki.b64url(PAYLOAD.getBytes(StandardCharsets.UTF_8)) + ".";
        assertEquals(RejectionReason.ALGORITHM_NOT_ALLOWED, reasonFor(none));
        assertThrows(IllegalArgumentException.class, () -> verifier(Clock.systemUTC(), Set.of("none")));
    }

    @Test
    void rejectsHs256ForgedWithTheCertificatePublicKey() {
        assertEquals(RejectionReason.ALGORITHM_NOT_ALLOWED, reasonFor(TestPki.forgeHs256WithPublicKey(PAYLOAD, PKI.device)));
        assertThrows(IllegalArgumentException.class, () -> verifier(Clock.systemUTC(), Set.of("RS256", "HS256")));
    }

    @Test
    void rejectsAnEcAlgorithmDeclaredOverAnRsaCertificate() {
        DeviceJwsVerifier lenient = verifier(Clock.systemUTC(), Set.of("RS256", "ES256"));
        KeyPair ec = TestPki.ec();
        String jws = TestPki.signWithHeader("{\"alg\":\"ES256\",\"x5c\":[\"" + TestPki.x5c(PKI.device) + "\"]}",
                PAYLOAD, ec.getPrivate());
        DeviceAnswerRejected e = assertThrows(DeviceAnswerRejected.class, () -> lenient.verify(jws, "deviceInfo"));
        assertEquals(RejectionReason.ALGORITHM_NOT_ALLOWED, e.reason());
        assertTrue(e.getMessage().contains("algorithm confusion"), e.getMessage());
    }

    @Test
    void rejectsAnAlgorithmOutsideThePolicy() {
        String rs512 = TestPki.signWithHeader("{\"alg\":\"RS512\",\"x5c\":[\"" + TestPki.x5c(PKI.device) + "\"]}",
                PAYLOAD, PKI.deviceKeys.getPrivate());
        assertEquals(RejectionReason.ALGORITHM_NOT_ALLOWED, reasonFor(rs512));
    }

    @Test
    void rejectsAJwsWithoutX5c() {
        String jws = TestPki.signWithHeader("{\"alg\":\"RS256\"}", PAYLOAD, PKI.deviceKeys.getPrivate());
        assertEquals(RejectionReason.CERTIFICATE_MISSING, reasonFor(jws));
    }

    @Test
    void rejectsAnX5cThatIsNotACertificate() {
        String jws = TestPki.signWithHeader("{\"alg\":\"RS256\",\"x5c\":[\"" + Base64.getEncoder()
                .encodeToString("not a cert".getBytes(StandardCharsets.UTF_8)) + "\"]}", PAYLOAD, PKI.deviceKeys.getPrivate());
        assertEquals(RejectionReason.CERTIFICATE_MALFORMED, reasonFor(jws));
    }

    @Test
    void rejectsExpiredAndNotYetValidDeviceCertificates() {
        Instant now = Instant.now();
        X509Certificate expired = PKI.deviceCertificate(PKI.deviceKeys.getPublic(), now.minus(Duration.ofDays(10)),
                now.minus(Duration.ofDays(1)));
        X509Certificate future = PKI.deviceCertificate(PKI.deviceKeys.getPublic(), now.plus(Duration.ofDays(1)),
                now.plus(Duration.ofDays(10)));
        assertEquals(RejectionReason.CERTIFICATE_EXPIRED,
                reasonFor(TestPki.signRs256(PAYLOAD, PKI.deviceKeys.getPrivate(), expired)));
        assertEquals(RejectionReason.CERTIFICATE_NOT_YET_VALID,
                reasonFor(TestPki.signRs256(PAYLOAD, PKI.deviceKeys.getPrivate(), future)));
    }

    @Test
    void rejectsADeviceCertificateFromAnUntrustedProvider() {
        assertEquals(RejectionReason.CERTIFICATE_UNTRUSTED,
                reasonFor(TestPki.signRs256(PAYLOAD, OTHER.deviceKeys.getPrivate(), OTHER.device)));
    }

    @Test
    void rejectsTheProviderCaSigningAnswersItself() {
        assertEquals(RejectionReason.CERTIFICATE_UNTRUSTED,
                reasonFor(TestPki.signRs256(PAYLOAD, PKI.caKeys.getPrivate(), PKI.ca)));
    }

    @Test
    void rejectsAPayloadChangedAfterSigning() {
        String jws = TestPki.signRs256(PAYLOAD, PKI.deviceKeys.getPrivate(), PKI.device);
        String[] parts = jws.split("\\.");
        String altered = parts[0] + "." + TestPki.b64url("{\"deviceId\":\"2\"}".getBytes(StandardCharsets.UTF_8))
                + "." + parts[2];
        assertEquals(RejectionReason.SIGNATURE_INVALID, reasonFor(altered));
    }

    @Test
    void rejectsCriticalHeaderExtensionsAndKeysFromOtherHeaders() {
        String crit = TestPki.signWithHeader("{\"alg\":\"RS256\",\"crit\":[\"b64\"],\"b64\":false,\"x5c\":[\""
                + TestPki.x5c(PKI.device) + "\"]}", PAYLOAD, PKI.deviceKeys.getPrivate());
        assertEquals(RejectionReason.JWS_MALFORMED, reasonFor(crit));
        // A jwk header naming the signer's own key does not replace a trusted x5c.
        String jwkOnly = TestPki.signWithHeader("{\"alg\":\"RS256\",\"jwk\":{\"kty\":\"RSA\"}}", PAYLOAD,
                OTHER.deviceKeys.getPrivate());
        assertEquals(RejectionReason.CERTIFICATE_MISSING, reasonFor(jwkOnly));
    }

    @Test
    void rejectsTokensThatAreNotCompactJws() {
        assertEquals(RejectionReason.JWS_MALFORMED, reasonFor("abc.def"));
        assertEquals(RejectionReason.JWS_MALFORMED, reasonFor("!!!.e30.AAAA"));
        assertEquals(RejectionReason.JWS_MALFORMED, reasonFor(""));
    }

    @Test
    void aChainIsValidatedOnceButItsValidityIsCheckedEveryTime() throws Exception {
        MovableClock clock = MovableClock.frozenNow();
        DeviceTrustStore store = DeviceTrustStore.of(PKI.caList());
        DeviceJwsVerifier v = new DeviceJwsVerifier(store, Set.of("RS256"), clock);
        String jws = TestPki.signRs256(PAYLOAD, PKI.deviceKeys.getPrivate(), PKI.device);
        v.verify(jws, "a");
        v.verify(jws, "b");
        assertEquals(1, store.cachedChains());
        clock.set(PKI.device.getNotAfter().toInstant().plusSeconds(60));
        DeviceAnswerRejected e = assertThrows(DeviceAnswerRejected.class, () -> v.verify(jws, "c"));
        assertEquals(RejectionReason.CERTIFICATE_EXPIRED, e.reason());
    }

    @Test
    void loadsTheTrustStoreFromAPemDirectoryOrAPkcs12File(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("provider.pem"), "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder().encodeToString(PKI.ca.getEncoded()) + "\n-----END CERTIFICATE-----\n");
        DeviceTrustStore pem = DeviceTrustStore.fromPemDirectory(dir);
        assertEquals(List.of(PKI.ca), pem.caCertificates());

        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setCertificateEntry("provider", PKI.ca);
        Path p12 = dir.resolve("trust.p12");
        try (OutputStream out = Files.newOutputStream(p12)) {
            ks.store(out, "changeit".toCharArray());
        }
        DeviceTrustStore pkcs12 = DeviceTrustStore.fromPkcs12(p12, "changeit".toCharArray());
        new DeviceJwsVerifier(pkcs12, Set.of("RS256"), Clock.systemUTC())
                .verify(TestPki.signRs256(PAYLOAD, PKI.deviceKeys.getPrivate(), PKI.device), "x");
        assertThrows(java.io.IOException.class, () -> DeviceTrustStore.fromPemDirectory(Files.createDirectory(dir.resolve("empty"))));
    }
}
