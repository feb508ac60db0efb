package org.stationtrust.tpm.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.stationtrust.tpm.simulator.SoftwareTpm;
import org.stationtrust.tpm.simulator.SoftwareTpmExtension;

/** EK certificates read from swtpm's NV validate against its local CA and against no other. */
@ExtendWith(SoftwareTpmExtension.class)
class SwtpmEkCertificateTest {
    private static Tpm2Tools tools;
    private static SoftwareTpm tpm;
    private static X509Certificate rsaEkCert;
    private static X509Certificate eccEkCert;

    @BeforeAll
    static void readCertificates(SoftwareTpm simulator) throws Exception {
        tpm = simulator;
        tools = new Tpm2Tools(tpm, Files.createDirectories(tpm.workDirectory().resolve("tools")));
        tools.flush();
        tools.run("tpm2_nvread", "0x1c00002", "-C", "o", "-o", "rsa-ek.der");
        tools.run("tpm2_nvread", "0x1c00016", "-C", "o", "-o", "ecc-ek.der");
        tools.run("tpm2_readpublic", "-c", "0x81010001", "-o", "rsa-ek.pub");
        tools.run("tpm2_readpublic", "-c", "0x81010016", "-o", "ecc-ek.pub");
        rsaEkCert = EkCertificateValidator.parseCertificate(tools.read("rsa-ek.der"));
        eccEkCert = EkCertificateValidator.parseCertificate(tools.read("ecc-ek.der"));
    }

    @Test
    void rsaAndEccEkCertificatesValidateAgainstTheSimulatorsCa() throws Exception {
        EkCertificateValidator validator = new EkCertificateValidator(TrustAnchors.fromPemDirectory(tpm.caDirectory()));

        for (X509Certificate ek : List.of(rsaEkCert, eccEkCert)) {
            ValidatedEkCertificate v = validator.validate(ek, List.of());
            assertEquals(2, v.path().size(), "EK certificate and the swtpm-localca intermediate");
            assertEquals(tpm.caCertificates().get(0), v.trustAnchor());
            TpmManufacturerInfo info = v.tpm().orElseThrow();
            assertEquals("swtpm", info.model());
            assertTrue(info.manufacturer().startsWith("id:"), info.manufacturer());
            assertTrue(info.version().startsWith("id:"), info.version());
        }
    }

    @Test
    void ekCertificatesFailAgainstAnotherSimulatorsCa(@TempDir Path otherDir) throws Exception {
        TrustAnchors other;
        try (SoftwareTpm otherTpm = SoftwareTpm.start(otherDir)) {
            other = TrustAnchors.fromPemDirectory(otherTpm.caDirectory());
        }
        EkCertificateValidator validator = new EkCertificateValidator(other);

        EkCertificateUntrusted e = assertThrows(EkCertificateUntrusted.class, () -> validator.validate(rsaEkCert,
                List.of()));
        assertTrue(e.getMessage().contains("trust store"), e.getMessage());
        // even when the chain's real intermediate is sent along, the other root does not accept it
        assertThrows(EkCertificateUntrusted.class, () -> validator.validate(eccEkCert,
                List.of(tpm.caCertificates().get(1))));
    }

    @Test
    void anIntermediateSentWithTheCertificateCompletesAChainToATrustedRoot(@TempDir Path rootOnly) throws Exception {
        Files.copy(tpm.caDirectory().resolve("swtpm-localca-root.pem"), rootOnly.resolve("root.pem"));
        EkCertificateValidator validator = new EkCertificateValidator(TrustAnchors.fromPemDirectory(rootOnly));
        X509Certificate intermediate = tpm.caCertificates().get(1);

        assertEquals(2, validator.validate(rsaEkCert, List.of(intermediate)).path().size());
        assertThrows(EkCertificateUntrusted.class, () -> validator.validate(rsaEkCert, List.of()));
    }

    @Test
    void theEkPublicAreaHoldsTheCertifiedKeyAndNoOther() throws Exception {
        TpmPublic rsaEk = tools.readPublic("rsa-ek.pub");
        TpmPublic eccEk = tools.readPublic("ecc-ek.pub");

        EkCertificateValidator.requireSameKey(rsaEkCert, rsaEk);
        EkCertificateValidator.requireSameKey(eccEkCert, eccEk);
        assertEquals(EccCurve.NIST_P384, ((TpmPublic.EccParameters) eccEk.parameters()).curve());
        assertThrows(EkKeyMismatch.class, () -> EkCertificateValidator.requireSameKey(rsaEkCert, eccEk));
        assertThrows(EkKeyMismatch.class, () -> EkCertificateValidator.requireSameKey(eccEkCert, rsaEk));
    }
}
