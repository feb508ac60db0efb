package org.stationtrust.ctk.internal.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.util.Base64;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.stationtrust.ctk.internal.device.DeviceProfile;
import org.stationtrust.ctk.testing.TestDevice;
import org.stationtrust.sbi.client.DeviceTrustStore;

/**
 * SBI 0.9.5's rules on the certificates themselves (FtmCertificateRules through TrustCheck): an L1
 * device's chip certificate issued by the FTM root itself and valid at most 20 years; RSA keys of at
 * least 2048 bits; the chip certificate exempt from the device provider's organisation. Each rule has
 * the certificate a compliant device presents next to the one that breaks exactly that rule.
 */
class FtmCertificateRulesTest {
    static KeyPair rootKeys;
    static X509Certificate root;
    static TestDevice device;

    @BeforeAll
    static void ftmRoot() throws Exception {
        rootKeys = rsa(2048);
        root = cert("CN=Test FTM Root,O=ChipCo", "CN=Test FTM Root,O=ChipCo", rootKeys, rootKeys, true, Duration.ofDays(3650));
        device = TestDevice.create();
    }

    @Test
    void aChipCertificateIssuedByTheFtmRootItselfForTenYearsPasses() throws Exception {
        KeyPair chip = rsa(2048);
        X509Certificate c = cert("CN=Test FTM Root,O=ChipCo", "CN=CHIP-0001,O=ChipCo", chip, rootKeys, false, Duration.ofDays(3650));
        Finding f = judgeL1(chip, List.of(c), Optional.empty());
        assertEquals(Finding.Status.PASS, f.status(), f.message());
    }

    @Test
    void aChipCertificateBehindAnIntermediateIsNotIssuedByTheFtmRoot() throws Exception {
        KeyPair interKeys = rsa(2048);
        X509Certificate inter = cert("CN=Test FTM Root,O=ChipCo", "CN=Test FTM Issuing,O=ChipCo", interKeys, rootKeys, true,
                Duration.ofDays(3650));
        KeyPair chip = rsa(2048);
        X509Certificate c = cert("CN=Test FTM Issuing,O=ChipCo", "CN=CHIP-0002,O=ChipCo", chip, interKeys, false,
                Duration.ofDays(3650));
        Finding f = judgeL1(chip, List.of(c, inter), Optional.empty());
        assertTrue(f.failed(), f.message());
        assertTrue(f.message().contains("not by an FTM root (--ftm-ca) itself"), f.message());
    }

    @Test
    void aChipCertificateValidForMoreThanTwentyYearsFails() throws Exception {
        KeyPair chip = rsa(2048);
        X509Certificate c = cert("CN=Test FTM Root,O=ChipCo", "CN=CHIP-0003,O=ChipCo", chip, rootKeys, false,
                Duration.ofDays(25 * 366));
        Finding f = judgeL1(chip, List.of(c), Optional.empty());
        assertTrue(f.failed(), f.message());
        assertTrue(f.message().contains("longer than the 20 years SBI 0.9.5"), f.message());
    }

    @Test
    void anRsaKeyUnder2048BitsFails() throws Exception {
        KeyPair chip = rsa(1024);
        X509Certificate c = cert("CN=Test FTM Root,O=ChipCo", "CN=CHIP-0004,O=ChipCo", chip, rootKeys, false, Duration.ofDays(3650));
        Finding f = judgeL1(chip, List.of(c), Optional.empty());
        assertTrue(f.failed(), f.message());
        assertTrue(f.message().contains("holds a 1024-bit RSA key"), f.message());
        assertEquals(Optional.empty(), FtmCertificateRules.keyStrength("device", device.deviceCert));
    }

    @Test
    void anEllipticCurveOtherThan25519Fails() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(256);
        KeyPair ec = g.generateKeyPair();
        X509Certificate c = cert("CN=Test FTM Root,O=ChipCo", "CN=CHIP-0005,O=ChipCo", ec, rootKeys, false, Duration.ofDays(365));
        Optional<String> p = FtmCertificateRules.keyStrength("info[0].digitalId", c);
        assertTrue(p.isPresent() && p.get().contains("holds a EC key"), p.toString());
    }

    @Test
    void anEd25519KeyFailsBecauseNoSignatureCheckCanVerifyIt() throws Exception {
        KeyPair ed = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        X509Certificate c = cert("CN=Test FTM Root,O=ChipCo", "CN=CHIP-0006,O=ChipCo", ed, rootKeys, false, Duration.ofDays(365));
        Optional<String> p = FtmCertificateRules.keyStrength("info[0].digitalId", c);
        assertTrue(p.isPresent() && p.get().contains("Ed25519") && p.get().contains("can verify")
                && p.get().contains("issue it an RSA key"), p.toString());
    }

    /** False red fixed: with --organisation, the chip certificate names the FTM provider, not the device provider. */
    @Test
    void theChipCertificateIsExemptFromTheDeviceProvidersOrganisation() throws Exception {
        KeyPair chip = rsa(2048);
        X509Certificate c = cert("CN=Test FTM Root,O=ChipCo", "CN=CHIP-0006,O=ChipCo", chip, rootKeys, false, Duration.ofDays(3650));
        Finding f = judgeL1(chip, List.of(c), Optional.of("ChipCo"));
        // the device certificate (no O) is still judged and named; the chip certificate (O=ChipCo) is not
        assertTrue(f.failed(), f.message());
        assertTrue(f.message().contains("info[0].deviceInfo certificate names organisation '(none)'"), f.message());
        assertTrue(!f.message().contains("info[0].digitalId certificate names organisation"), f.message());
    }

    /** Info signed by the test device key, its digitalId signed by {@code chip} with {@code x5c}, judged as L1. */
    private static Finding judgeL1(KeyPair chip, List<X509Certificate> x5c, Optional<String> organisation) throws Exception {
        DeviceProfile p = device.profile();
        DeviceProfile l1 = new DeviceProfile(p.port(), p.deviceId(), p.deviceSubIds(), p.type(), p.subType(), p.purpose(),
                p.status(), p.specVersions(), p.digitalId(), p.deviceCode(), "L1", p.serviceVersion());
        Observation o = new Observation(TestDevice.testCase("INFO-SIGNED"), l1);
        o.signed.add(new Observation.SignedPart("info[0].deviceInfo", device.sign(TestDevice.JSON.createObjectNode().put("deviceId", "1"))));
        o.signed.add(new Observation.SignedPart("info[0].digitalId", sign(TestDevice.digitalId("SLAP-0001"), chip, x5c)));
        JudgingRules r = device.rules();
        JudgingRules rules = new JudgingRules(r.trustStore(), r.allowedAlgorithms(), r.allowedSkew(), r.grace(), r.responseLimit(),
                r.harnessCertificate(), r.clock(), r.profile(), Optional.of(DeviceTrustStore.of(List.of(root))), organisation);
        return new TrustCheck().judge(o, rules);
    }

    private static String sign(JsonNode payload, KeyPair key, List<X509Certificate> x5c) throws Exception {
        List<Base64> chain = new ArrayList<>();
        for (X509Certificate c : x5c) {
            chain.add(Base64.encode(c.getEncoded()));
        }
        JWSObject jws = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT).x509CertChain(chain)
                .build(), new Payload(TestDevice.JSON.writeValueAsString(payload)));
        jws.sign(new RSASSASigner(key.getPrivate(), true));
        return jws.serialize();
    }

    private static KeyPair rsa(int bits) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(bits);
        return g.generateKeyPair();
    }

    private static X509Certificate cert(String issuer, String subject, KeyPair subjectKeys, KeyPair issuerKeys, boolean ca,
                                        Duration validity) throws Exception {
        Instant from = Instant.now().minus(Duration.ofDays(1)).atZone(ZoneOffset.UTC).toInstant();
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Name(issuer),
                BigInteger.valueOf(System.nanoTime()), Date.from(from), Date.from(from.plus(validity)), new X500Name(subject),
                subjectKeys.getPublic());
        if (ca) {
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        }
        return new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withRSA").build(issuerKeys.getPrivate())));
    }
}
