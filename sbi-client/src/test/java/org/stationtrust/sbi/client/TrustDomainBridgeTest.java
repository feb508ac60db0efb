package org.stationtrust.sbi.client;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.stationtrust.sbi.client.testing.TestPki;

/**
 * The device-provider and FTM-provider domains cannot be bridged: not by an anchor of one issued by an anchor of the
 * other, not by a cross-certificate, not by a chain passing through the other domain's CA. Certificates are generated
 * for each test; the store is exercised directly, as the JWS verifiers use it.
 */
class TrustDomainBridgeTest {
    private final TestPki device = new TestPki("Bridge Test Device Provider Root");
    private final TestPki ftm = new TestPki("Bridge Test FTM Provider Root");
    private final Instant now = Instant.now();

    private DeviceTrustStore bothDomains() {
        return DeviceTrustStore.of(device.caList()).withFtmProviderCas(ftm.caList());
    }

    private static String subject(X509Certificate c) {
        return c.getSubjectX500Principal().getName();
    }

    private static String fingerprint(X509Certificate c) throws Exception {
        return HexFormat.ofDelimiter(":").withUpperCase()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(c.getEncoded()));
    }

    /** The certificate of {@code root}'s key and name, issued by {@code issuer}: the two roots become one path. */
    private static X509Certificate crossCertificate(TestPki root, TestPki issuer) {
        return TestPki.caCertificate(root.caKeys.getPublic(), subject(root.ca), issuer.ca, issuer.caKeys.getPrivate());
    }

    private static void assertNamesBoth(String message, X509Certificate a, X509Certificate b) throws Exception {
        for (X509Certificate c : List.of(a, b)) {
            assertTrue(message.contains(subject(c)), message);
            assertTrue(message.contains(fingerprint(c)), message);
        }
    }

    @Test
    void anFtmRootIssuedByADeviceRootIsRefusedWhenTheStoreIsBuilt() throws Exception {
        KeyPair ftmKeys = TestPki.rsa();
        X509Certificate issuedFtmRoot = TestPki.caCertificate(ftmKeys.getPublic(), "CN=FTM Root Under Device Root",
                device.ca, device.caKeys.getPrivate());
        DeviceTrustStore deviceOnly = DeviceTrustStore.of(device.caList());

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> deviceOnly.withFtmProviderCas(List.of(issuedFtmRoot)));

        assertTrue(e.getMessage().contains("FTM-provider CA CN=FTM Root Under Device Root"), e.getMessage());
        assertTrue(e.getMessage().contains("was issued by device-provider CA"), e.getMessage());
        assertNamesBoth(e.getMessage(), issuedFtmRoot, device.ca);
    }

    @Test
    void aDeviceRootIssuedByAnFtmRootIsRefusedWhenTheStoreIsBuilt() throws Exception {
        KeyPair deviceKeys = TestPki.rsa();
        X509Certificate issuedDeviceRoot = TestPki.caCertificate(deviceKeys.getPublic(), "CN=Device Root Under FTM Root",
                ftm.ca, ftm.caKeys.getPrivate());
        DeviceTrustStore deviceOnly = DeviceTrustStore.of(List.of(issuedDeviceRoot));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> deviceOnly.withFtmProviderCas(ftm.caList()));

        assertTrue(e.getMessage().contains("device-provider CA CN=Device Root Under FTM Root"), e.getMessage());
        assertTrue(e.getMessage().contains("was issued by FTM-provider CA"), e.getMessage());
        assertNamesBoth(e.getMessage(), issuedDeviceRoot, ftm.ca);
    }

    @Test
    void aCrossCertificateOfTheFtmRootSignedByTheDeviceRootIsRefusedAsAnFtmAnchor() throws Exception {
        X509Certificate cross = crossCertificate(ftm, device);
        DeviceTrustStore deviceOnly = DeviceTrustStore.of(device.caList());

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> deviceOnly.withFtmProviderCas(List.of(ftm.ca, cross)));

        assertNamesBoth(e.getMessage(), cross, device.ca);
    }

    @Test
    void anFtmAnchorWithTheSameKeyAsADeviceAnchorUnderAnotherNameIsRefused() throws Exception {
        X509Certificate renamed = TestPki.caCertificate(device.caKeys.getPublic(), "CN=Device Key Renamed As FTM Root",
                ftm.ca, ftm.caKeys.getPrivate());
        DeviceTrustStore deviceOnly = DeviceTrustStore.of(device.caList());

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> deviceOnly.withFtmProviderCas(List.of(renamed)));

        assertTrue(e.getMessage().contains("hold the same key"), e.getMessage());
        assertNamesBoth(e.getMessage(), renamed, device.ca);
    }

    @Test
    void aDeviceChainThroughACrossCertificateOfTheFtmRootIsRefusedAsUntrusted() throws Exception {
        X509Certificate cross = crossCertificate(ftm, device);
        KeyPair signer = TestPki.rsa();
        X509Certificate leaf = TestPki.signerCertificate(signer.getPublic(), "CN=Device Key From The FTM Provider",
                ftm.ca, ftm.caKeys.getPrivate());
        List<X509Certificate> chain = List.of(leaf, cross);
        // The path itself is sound PKIX to the device root: only the separation of the domains refuses it.
        DeviceTrustStore.of(device.caList()).check(chain, now);

        DeviceAnswerRejected e = assertThrows(DeviceAnswerRejected.class, () -> bothDomains().check(chain, now));

        assertEquals(RejectionReason.CERTIFICATE_UNTRUSTED, e.reason());
        assertTrue(e.getMessage().contains("x5c certificate #2 (SHA-256 " + fingerprint(cross) + ")"), e.getMessage());
        assertTrue(e.getMessage().contains("FTM-provider CA " + subject(ftm.ca) + " (SHA-256 " + fingerprint(ftm.ca)),
                e.getMessage());
        assertFalse(e.getMessage().contains("Device Key From The FTM Provider"), "no device data: " + e.getMessage());
    }

    @Test
    void aDeviceChainThroughAnFtmRootIssuedUnderAnUnconfiguredDeviceIntermediateIsRefused() throws Exception {
        KeyPair intermediateKeys = TestPki.rsa();
        X509Certificate intermediate = TestPki.caCertificate(intermediateKeys.getPublic(), "CN=Unconfigured Intermediate",
                device.ca, device.caKeys.getPrivate());
        KeyPair ftmKeys = TestPki.rsa();
        X509Certificate ftmRoot = TestPki.caCertificate(ftmKeys.getPublic(), "CN=FTM Root Under Intermediate",
                intermediate, intermediateKeys.getPrivate());
        // Built from the anchors alone, the store cannot see this bridge: it takes both sets.
        DeviceTrustStore trust = DeviceTrustStore.of(device.caList()).withFtmProviderCas(List.of(ftmRoot));
        KeyPair signer = TestPki.rsa();
        X509Certificate leaf = TestPki.signerCertificate(signer.getPublic(), "CN=Device Key Under FTM Root",
                ftmRoot, ftmKeys.getPrivate());

        DeviceAnswerRejected e = assertThrows(DeviceAnswerRejected.class,
                () -> trust.check(List.of(leaf, ftmRoot, intermediate), now));

        assertEquals(RejectionReason.CERTIFICATE_UNTRUSTED, e.reason());
        assertTrue(e.getMessage().contains("x5c certificate #2"), e.getMessage());
        assertTrue(e.getMessage().contains("must not pass through a CA of the FTM-provider domain"), e.getMessage());
    }

    @Test
    void anFtmChipChainThroughACrossCertificateOfTheDeviceRootIsRefusedAsFtmUntrusted() throws Exception {
        X509Certificate cross = crossCertificate(device, ftm);
        KeyPair chip = TestPki.rsa();
        X509Certificate chipCert = TestPki.signerCertificate(chip.getPublic(), "CN=Chip Key From The Device Provider",
                device.ca, device.caKeys.getPrivate());

        DeviceAnswerRejected e = assertThrows(DeviceAnswerRejected.class,
                () -> bothDomains().checkFtmChip(List.of(chipCert, cross), now));

        assertEquals(RejectionReason.FTM_CERTIFICATE_UNTRUSTED, e.reason());
        assertTrue(e.getMessage().contains("device-provider CA " + subject(device.ca) + " (SHA-256 "
                + fingerprint(device.ca)), e.getMessage());
    }

    @Test
    void separateRootsStillTrustADeviceChainThroughItsOwnIntermediateAndAChipUnderTheFtmRoot() {
        KeyPair intermediateKeys = TestPki.rsa();
        X509Certificate intermediate = TestPki.caCertificate(intermediateKeys.getPublic(), "CN=Device Issuing CA",
                device.ca, device.caKeys.getPrivate());
        KeyPair signer = TestPki.rsa();
        X509Certificate deviceKey = TestPki.signerCertificate(signer.getPublic(), "CN=Device Key Via Intermediate",
                intermediate, intermediateKeys.getPrivate());
        KeyPair chip = TestPki.rsa();
        X509Certificate chipKey = TestPki.signerCertificate(chip.getPublic(), "CN=FTM Chip", ftm.ca,
                ftm.caKeys.getPrivate());
        DeviceTrustStore trust = bothDomains();

        assertDoesNotThrow(() -> trust.check(List.of(device.device), now));
        assertDoesNotThrow(() -> trust.check(List.of(deviceKey, intermediate), now));
        assertDoesNotThrow(() -> trust.check(List.of(deviceKey, intermediate, device.ca), now));
        assertDoesNotThrow(() -> trust.checkFtmChip(List.of(chipKey), now));
        assertDoesNotThrow(() -> trust.checkFtmChip(List.of(chipKey, ftm.ca), now));
    }
}
