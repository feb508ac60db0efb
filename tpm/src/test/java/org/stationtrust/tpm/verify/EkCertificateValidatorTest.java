package org.stationtrust.tpm.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** EK certificate chains shaped like real TPM vendors' ones: what must pass, and each check that must fail. */
class EkCertificateValidatorTest {
    private static TestPki.Issued root;
    private static TestPki.Issued intermediate;
    private static EkCertificateValidator validator;

    @BeforeAll
    static void makeCa() throws Exception {
        root = TestPki.root("Test TPM Root");
        intermediate = TestPki.intermediate(root, "Test TPM EK CA", true, KeyUsage.keyCertSign);
        validator = new EkCertificateValidator(TrustAnchors.of(List.of(root.cert())));
    }

    private static TestPki.Ek rsaEk() throws Exception {
        return new TestPki.Ek(TestPki.rsa());
    }

    @Test
    void acceptsAnEkCertificateWithEmptySubjectCriticalTpmSanAndCriticalTpmSpecification() throws Exception {
        X509Certificate ek = rsaEk().issuedBy(intermediate);

        ValidatedEkCertificate v = validator.validate(ek, List.of(intermediate.cert()));

        assertEquals(root.cert(), v.trustAnchor());
        assertEquals(new TpmManufacturerInfo("id:53544D20", "TestModel", "id:00020008"), v.tpm().orElseThrow());
        assertTrue(ek.getCriticalExtensionOIDs().containsAll(Set.of("2.5.29.17", "2.5.29.9")));
    }

    @Test
    void stockPkixRejectsTheSameCertificateSoTheTcgCheckerIsWhatAcceptsIt() throws Exception {
        X509Certificate ek = rsaEk().issuedBy(intermediate);
        PKIXParameters p = new PKIXParameters(Set.of(new TrustAnchor(root.cert(), null)));
        p.setRevocationEnabled(false);

        CertPathValidatorException e = assertThrows(CertPathValidatorException.class,
                () -> CertPathValidator.getInstance("PKIX").validate(CertificateFactory.getInstance("X.509")
                        .generateCertPath(List.of(ek, intermediate.cert())), p));
        assertTrue(e.getMessage().toLowerCase().contains("critical"), e.getMessage());
    }

    @Test
    void acceptsAnEccEkCertificateWithKeyAgreementUsage() throws Exception {
        X509Certificate ek = new TestPki.Ek(TestPki.ec()).issuedBy(intermediate);

        assertEquals(2, validator.validate(ek, List.of(intermediate.cert())).path().size());
    }

    @Test
    void rejectsAnExpiredOrNotYetValidEkCertificate() throws Exception {
        TestPki.Ek expired = rsaEk();
        expired.notBefore = Instant.now().minus(Duration.ofDays(30));
        expired.notAfter = Instant.now().minus(Duration.ofDays(1));
        X509Certificate ek = expired.issuedBy(intermediate);

        EkCertificateUntrusted e = assertThrows(EkCertificateUntrusted.class,
                () -> validator.validate(ek, List.of(intermediate.cert())));
        assertTrue(e.getMessage().contains("expired") || e.getMessage().contains("validity"), e.getMessage());
        X509Certificate good = rsaEk().issuedBy(intermediate);
        assertThrows(EkCertificateUntrusted.class, () -> validator.validate(good, List.of(intermediate.cert()),
                Instant.now().minus(Duration.ofDays(2))));
    }

    @Test
    void rejectsAnEkCertificateFromAnUntrustedCa() throws Exception {
        TestPki.Issued otherRoot = TestPki.root("Test TPM Root");
        TestPki.Issued otherCa = TestPki.intermediate(otherRoot, "Test TPM EK CA", true, KeyUsage.keyCertSign);
        X509Certificate ek = rsaEk().issuedBy(otherCa);

        assertThrows(EkCertificateUntrusted.class, () -> validator.validate(ek, List.of(otherCa.cert())));
        assertThrows(EkCertificateUntrusted.class, () -> validator.validate(ek, List.of(intermediate.cert())));
    }

    @Test
    void rejectsAnEkCertificateWithATamperedSignature() throws Exception {
        byte[] der = rsaEk().issuedBy(intermediate).getEncoded();
        der[der.length - 10] ^= 1;
        X509Certificate ek = EkCertificateValidator.parseCertificate(der);

        assertThrows(EkCertificateUntrusted.class, () -> validator.validate(ek, List.of(intermediate.cert())));
    }

    @Test
    void rejectsAnUnknownCriticalExtension() throws Exception {
        TestPki.Ek spec = rsaEk();
        spec.unknownCriticalExtension = new ASN1ObjectIdentifier("1.3.6.1.4.1.99999.1");
        X509Certificate ek = spec.issuedBy(intermediate);

        EkCertificateUntrusted e = assertThrows(EkCertificateUntrusted.class,
                () -> validator.validate(ek, List.of(intermediate.cert())));
        assertTrue(e.getMessage().toLowerCase().contains("critical"), e.getMessage());
    }

    @Test
    void rejectsACriticalSanCarryingMoreThanTpmAttributes() throws Exception {
        TestPki.Ek spec = rsaEk();
        spec.extraDnsNameInSan = true;
        X509Certificate ek = spec.issuedBy(intermediate);

        assertThrows(EkCertificateUntrusted.class, () -> validator.validate(ek, List.of(intermediate.cert())));
    }

    @Test
    void acceptsOtherTcgAttributesInTheSanButNoForeignOnes() throws Exception {
        TestPki.Ek labelled = rsaEk();
        labelled.tpmIdLabel = "serial-0042";
        assertEquals("id:53544D20", validator.validate(labelled.issuedBy(intermediate), List.of(intermediate.cert()))
                .tpm().orElseThrow().manufacturer());
        TestPki.Ek foreign = rsaEk();
        foreign.nonTcgAttributeInSan = "www.example.org";
        X509Certificate ek = foreign.issuedBy(intermediate);
        assertThrows(EkCertificateUntrusted.class, () -> validator.validate(ek, List.of(intermediate.cert())));
    }

    @Test
    void rejectsAChainThroughAnIntermediateThatIsNotACa() throws Exception {
        TestPki.Issued notCa = TestPki.intermediate(root, "Not a CA", false, KeyUsage.keyCertSign);
        X509Certificate ek = rsaEk().issuedBy(notCa);

        assertThrows(EkCertificateUntrusted.class, () -> validator.validate(ek, List.of(notCa.cert())));
    }

    @Test
    void rejectsAChainThroughAnIntermediateWithoutKeyCertSign() throws Exception {
        TestPki.Issued noSign = TestPki.intermediate(root, "No cert sign", true, KeyUsage.digitalSignature);
        X509Certificate ek = rsaEk().issuedBy(noSign);

        assertThrows(EkCertificateUntrusted.class, () -> validator.validate(ek, List.of(noSign.cert())));
    }

    @Test
    void rejectsAnEkCertificateThatIsACaOrLacksTheEkKeyUsage() throws Exception {
        TestPki.Ek ca = rsaEk();
        ca.ca = true;
        X509Certificate caEk = ca.issuedBy(intermediate);
        TestPki.Ek signing = rsaEk();
        signing.keyUsage = KeyUsage.digitalSignature;
        X509Certificate signingEk = signing.issuedBy(intermediate);

        assertTrue(assertThrows(EkCertificateUntrusted.class, () -> validator.validate(caEk,
                List.of(intermediate.cert()))).getMessage().contains("end entity"));
        assertTrue(assertThrows(EkCertificateUntrusted.class, () -> validator.validate(signingEk,
                List.of(intermediate.cert()))).getMessage().contains("keyEncipherment"));
    }

    @Test
    void parsingRejectsGarbagePemTextTrailingBytesAndOversizedInput() throws Exception {
        byte[] der = rsaEk().issuedBy(intermediate).getEncoded();
        byte[] pem = ("-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder().encodeToString(der)
                + "\n-----END CERTIFICATE-----\n").getBytes(StandardCharsets.US_ASCII);
        byte[] trailing = Arrays.copyOf(der, der.length + 3);

        assertEquals(der.length, EkCertificateValidator.parseCertificate(der).getEncoded().length);
        assertThrows(MalformedCertificate.class, () -> EkCertificateValidator.parseCertificate(pem));
        assertThrows(MalformedCertificate.class, () -> EkCertificateValidator.parseCertificate(trailing));
        assertThrows(MalformedCertificate.class, () -> EkCertificateValidator.parseCertificate(new byte[0]));
        assertThrows(MalformedCertificate.class, () -> EkCertificateValidator.parseCertificate(
                new byte[EkCertificateValidator.MAX_CERTIFICATE_BYTES + 1]));
        assertThrows(MalformedCertificate.class, () -> EkCertificateValidator.parseCertificate(
                Arrays.copyOf(der, der.length / 2)));
        byte[] garbage = new byte[300];
        new java.util.Random(7).nextBytes(garbage);
        garbage[0] = 0x30;
        assertThrows(MalformedCertificate.class, () -> EkCertificateValidator.parseCertificate(garbage));
    }

    @Test
    void aPemTrustStoreIgnoresPrivateKeysAndNeedsARoot(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("root.pem"), pem(root.cert()) + "-----BEGIN " + "PRIVATE KEY-----\nAAAA\n"
                + "-----END PRIVATE KEY-----\n");
        Files.writeString(dir.resolve("ca.crt"), pem(intermediate.cert()));
        Files.writeString(dir.resolve("notes.txt"), "not read");
        TrustAnchors anchors = TrustAnchors.fromPemDirectory(dir);

        assertEquals(List.of(root.cert()), anchors.roots());
        assertEquals(List.of(intermediate.cert()), anchors.intermediates());
        Files.delete(dir.resolve("root.pem"));
        assertThrows(MalformedCertificate.class, () -> TrustAnchors.fromPemDirectory(dir));
    }

    private static String pem(X509Certificate c) throws Exception {
        return "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder().encodeToString(c.getEncoded())
                + "\n-----END CERTIFICATE-----\n";
    }
}
