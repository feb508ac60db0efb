package org.stationtrust.sbi.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stationtrust.sbi.simulator.internal.CertificateIssuer;

class DeviceProviderCaTest {
    @TempDir
    Path dir;

    @Test
    void aCaSavedAsPkcs12IssuesDevicesTheOriginalCertificateVerifies() throws Exception {
        char[] pw = "test-only".toCharArray();
        Path p12 = TestDevices.CA.writePkcs12(dir.resolve("ca.p12"), pw);
        DeviceProviderCa loaded = DeviceProviderCa.fromPkcs12(p12, pw);
        assertEquals(TestDevices.CA.certificate(), loaded.certificate());
        try (SimulatedDevice face = SbiSimulator.start(TestDevices.config(DeviceKind.FACE).ca(loaded).build())) {
            assertTrue(TestDevices.chainsTo(face.deviceCertificate(), TestDevices.CA.certificate()));
        }
        assertThrows(SimulatorException.class, () -> DeviceProviderCa.fromPkcs12(p12, "wrong".toCharArray()));
    }

    @Test
    void aDeviceSignsWithALoadedDeviceKeyUntilItRotates() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        KeyPair keys = g.generateKeyPair();
        X509Certificate cert = TestDevices.CA.issueDeviceCertificate(keys.getPublic(), "vendor device 42",
                Instant.now().minusSeconds(60), Instant.now().plusSeconds(86_400));
        char[] pw = "device-test".toCharArray();
        java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("device", keys.getPrivate(), pw, new java.security.cert.Certificate[] {cert});
        Path p12 = dir.resolve("device.p12");
        try (java.io.OutputStream out = Files.newOutputStream(p12)) {
            ks.store(out, pw);
        }
        DeviceKey loaded = DeviceKey.fromPkcs12(p12, pw);
        try (SimulatedDevice face = SbiSimulator.start(TestDevices.config(DeviceKind.FACE).deviceKey(loaded).build())) {
            TestDevices.Jws info = TestDevices.Jws.parse(TestDevices.info(face).get(0).get("deviceInfo").asText());
            assertEquals(cert, info.x5c());
            assertTrue(info.verifiesWith(cert));
            X509Certificate rotated = face.rotateKey();
            assertTrue(!rotated.equals(cert) && TestDevices.chainsTo(rotated, TestDevices.CA.certificate()));
        }
        assertThrows(IllegalArgumentException.class, () -> SimulatedDevices.start(
                TestDevices.config(DeviceKind.FACE).deviceKey(loaded).build()), "one key cannot sign for three devices");
    }

    @Test
    void aCaLoadsFromPemCertificateAndKey() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        KeyPair keys = g.generateKeyPair();
        X509Certificate caCert = CertificateIssuer.selfSignedCa(keys, "Vendor CA",
                Instant.now().minusSeconds(60), Instant.now().plusSeconds(86_400));
        Path cert = Files.writeString(dir.resolve("ca.pem"), CertificateIssuer.pem(caCert));
        Path key = Files.writeString(dir.resolve("ca.key"), CertificateIssuer.pem(keys.getPrivate()));
        DeviceProviderCa ca = DeviceProviderCa.fromPem(cert, key);
        X509Certificate device = ca.issueDeviceCertificate(g.generateKeyPair().getPublic(), "device",
                Instant.now().minusSeconds(60), Instant.now().plusSeconds(3600));
        assertTrue(TestDevices.chainsTo(device, caCert));
        assertEquals(0, caCert.getBasicConstraints(), "CA certificate is marked as a CA");
        assertEquals(-1, device.getBasicConstraints(), "device certificate is not a CA");
    }
}
