package org.stationtrust.sbi.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.stationtrust.sbi.client.internal.DeviceJwsVerifier;
import org.stationtrust.sbi.client.testing.TestPki;

/**
 * Device certificate chains with the wrong CA flags or key usages, all issued under the trusted
 * device-provider CA: only a chain of real CAs ending in a signing certificate may vouch for an answer.
 */
class DeviceCertificateChainTest {
    private static final AtomicLong SERIAL = new AtomicLong(System.nanoTime());
    private static final TestPki PKI = new TestPki("Chain Test Provider CA");
    private static final String PAYLOAD = "{\"deviceId\":\"1\"}";
    private final DeviceJwsVerifier verifier = new DeviceJwsVerifier(DeviceTrustStore.of(PKI.caList()), Set.of("RS256"), Clock.systemUTC());

    /** A certificate with exactly the given CA flag (null: no basicConstraints) and key usage (0: none). */
    private static X509Certificate issue(PublicKey key, String subject, X509Certificate issuer, PrivateKey issuerKey,
                                         Boolean ca, int keyUsage) throws Exception {
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(X500Name.getInstance(issuer.getSubjectX500Principal().getEncoded()),
                BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(now.minus(Duration.ofHours(1))),
                Date.from(now.plus(Duration.ofDays(30))), new X500Name(subject), key);
        if (ca != null) b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
        if (keyUsage != 0) b.addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage));
        return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder("SHA256withRSA").build(issuerKey)));
    }

    private static String signed(KeyPair key, X509Certificate... chain) {
        StringBuilder x5c = new StringBuilder();
        for (X509Certificate c : chain) x5c.append(x5c.length() == 0 ? "" : ",").append('"').append(TestPki.x5c(c)).append('"');
        return TestPki.signWithHeader("{\"alg\":\"RS256\",\"x5c\":[" + x5c + "]}", PAYLOAD, key.getPrivate());
    }

    private RejectionReason reasonFor(String jws) {
        return assertThrows(DeviceAnswerRejected.class, () -> verifier.verify(jws, "deviceInfo")).reason();
    }

    @Test
    void refusesADeviceCertificateIssuedByAnIntermediateThatIsNotACa() throws Exception {
        KeyPair middle = TestPki.rsa();
        KeyPair device = TestPki.rsa();
        X509Certificate notCa = issue(middle.getPublic(), "CN=Another Device", PKI.ca, PKI.caKeys.getPrivate(), false,
                KeyUsage.digitalSignature | KeyUsage.keyCertSign);
        X509Certificate leaf = issue(device.getPublic(), "CN=Device Under A Device", notCa, middle.getPrivate(), false, KeyUsage.digitalSignature);
        assertEquals(RejectionReason.CERTIFICATE_UNTRUSTED, reasonFor(signed(device, leaf, notCa)));

        X509Certificate noConstraints = issue(middle.getPublic(), "CN=Unconstrained", PKI.ca, PKI.caKeys.getPrivate(), null,
                KeyUsage.keyCertSign);
        X509Certificate leaf2 = issue(device.getPublic(), "CN=Device Under Unconstrained", noConstraints, middle.getPrivate(), false,
                KeyUsage.digitalSignature);
        assertEquals(RejectionReason.CERTIFICATE_UNTRUSTED, reasonFor(signed(device, leaf2, noConstraints)));
    }

    @Test
    void refusesAChainThroughACaWithoutKeyCertSign() throws Exception {
        KeyPair middle = TestPki.rsa();
        KeyPair device = TestPki.rsa();
        X509Certificate weakCa = issue(middle.getPublic(), "CN=CA Without CertSign", PKI.ca, PKI.caKeys.getPrivate(), true,
                KeyUsage.digitalSignature | KeyUsage.cRLSign);
        X509Certificate leaf = issue(device.getPublic(), "CN=Device Under Weak CA", weakCa, middle.getPrivate(), false, KeyUsage.digitalSignature);
        assertEquals(RejectionReason.CERTIFICATE_UNTRUSTED, reasonFor(signed(device, leaf, weakCa)));
    }

    @Test
    void refusesASigningCertificateWithoutDigitalSignatureUsageOrThatIsACa() throws Exception {
        KeyPair device = TestPki.rsa();
        X509Certificate encryptionOnly = issue(device.getPublic(), "CN=Encryption Only Device", PKI.ca, PKI.caKeys.getPrivate(), false,
                KeyUsage.keyEncipherment);
        assertEquals(RejectionReason.CERTIFICATE_UNTRUSTED, reasonFor(signed(device, encryptionOnly)));
        X509Certificate subCa = issue(device.getPublic(), "CN=Device That Is A CA", PKI.ca, PKI.caKeys.getPrivate(), true,
                KeyUsage.keyCertSign | KeyUsage.digitalSignature);
        assertEquals(RejectionReason.CERTIFICATE_UNTRUSTED, reasonFor(signed(device, subCa)));
    }

    @Test
    void acceptsAProperIntermediateChain() throws Exception {
        KeyPair middle = TestPki.rsa();
        KeyPair device = TestPki.rsa();
        X509Certificate intermediate = issue(middle.getPublic(), "CN=Provider Issuing CA", PKI.ca, PKI.caKeys.getPrivate(), true,
                KeyUsage.keyCertSign | KeyUsage.cRLSign);
        X509Certificate leaf = issue(device.getPublic(), "CN=Proper Device", intermediate, middle.getPrivate(), false, KeyUsage.digitalSignature);
        assertEquals(leaf, verifier.verify(signed(device, leaf, intermediate), "deviceInfo").signer());
    }
}
