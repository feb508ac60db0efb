package org.stationtrust.ctk.internal.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.stationtrust.ctk.internal.testing.TestDevice;

class KeyRotationCheckTest {
    static TestDevice device;

    @BeforeAll
    static void createDevice() {
        device = TestDevice.create();
    }

    /** A rotation observation whose info before and after names the same device. */
    private static Observation rotation() {
        Observation o = new Observation(TestDevice.testCase("KEYROT-REG-LEFT-SLAP"), device.profile());
        o.infos.add(device.info("SLAP-0001"));
        o.infos.add(device.info("SLAP-0001"));
        return o;
    }

    @Test
    void passesWhenTheRotatedCertificateChainsThroughAnIntermediateSentInX5c() {
        Observation o = rotation();
        java.util.List<java.security.cert.X509Certificate> chain = device.rotatedUnderIntermediate();
        o.certificateBefore = device.deviceCert;
        o.certificateAfter = chain.get(0);
        o.chainAfter = chain;
        Finding f = new KeyRotationCheck().judge(o, device.rules());
        assertEquals(Finding.Status.PASS, f.status(), f.message());
        o.chainAfter = java.util.List.of(chain.get(0));
        assertTrue(new KeyRotationCheck().judge(o, device.rules()).failed(), "without the intermediate it cannot chain");
    }

    @Test
    void failsWhenTheDeviceIdentityChangedAcrossTheRotation() {
        Observation o = rotation();
        o.infos.set(1, device.info("SLAP-9999"));
        o.certificateBefore = device.deviceCert;
        o.certificateAfter = device.rotated().deviceCert;
        Finding f = new KeyRotationCheck().judge(o, device.rules());
        assertTrue(f.failed());
        assertTrue(f.message().contains("digitalId.serialNo 'SLAP-0001' became 'SLAP-9999'"), f.message());
    }

    @Test
    void failsWhenTheNewCertificateIsOlderThanTheOldOne() {
        Observation o = rotation();
        TestDevice newer = device.rotated();
        o.certificateBefore = newer.deviceCert;
        o.certificateAfter = device.deviceCert;
        Finding f = new KeyRotationCheck().judge(o, device.rules());
        assertTrue(f.failed());
        assertTrue(f.message().contains("is not later than the old one's"), f.message());
    }

    @Test
    void passesWhenTheCertificateChangedAndTheNewOneIsTrusted() {
        Observation o = rotation();
        o.certificateBefore = device.deviceCert;
        o.certificateAfter = device.rotated().deviceCert;
        Finding f = new KeyRotationCheck().judge(o, device.rules());
        assertEquals(Finding.Status.PASS, f.status(), f.message());
    }

    @Test
    void failsWhenTheCertificateDidNotChange() {
        Observation o = rotation();
        o.certificateBefore = device.deviceCert;
        o.certificateAfter = device.deviceCert;
        Finding f = new KeyRotationCheck().judge(o, device.rules());
        assertTrue(f.failed());
        assertTrue(f.message().contains("did not change"), f.message());
    }

    @Test
    void failsWhenTheNewCertificateIsNotFromTheVendorCa() {
        Observation o = rotation();
        o.certificateBefore = device.deviceCert;
        o.certificateAfter = TestDevice.create().deviceCert;
        Finding f = new KeyRotationCheck().judge(o, device.rules());
        assertTrue(f.failed());
        assertTrue(f.message().contains("not trusted"), f.message());
    }

    /** Signed info of an L1 device whose digitalId is signed by {@code chip}. */
    private static Observation.InfoEntry l1Info(TestDevice chip) {
        com.fasterxml.jackson.databind.node.ObjectNode p = TestDevice.JSON.createObjectNode();
        p.put("deviceStatus", "Ready");
        p.put("deviceId", "1");
        p.put("deviceCode", "CODE-1");
        p.put("certification", "L1");
        p.put("digitalId", chip.sign(TestDevice.digitalId("SLAP-0001")));
        String jws = device.sign(p);
        com.fasterxml.jackson.databind.node.ObjectNode element = TestDevice.JSON.createObjectNode();
        element.put("deviceInfo", jws);
        return new Observation.InfoEntry(element, jws, p, "0");
    }

    /** SBI 0.9.5 §Keys: an L1 device's chip (FTM) key is permanent; only the device key rotates. */
    @Test
    void anL1DeviceKeepsItsChipKeyAcrossTheRotation() {
        TestDevice chip = TestDevice.create();
        Observation kept = new Observation(TestDevice.testCase("KEYROT-REG-LEFT-SLAP"), device.profile());
        kept.infos.add(l1Info(chip));
        kept.infos.add(l1Info(chip));
        kept.certificateBefore = device.deviceCert;
        kept.certificateAfter = device.rotated().deviceCert;
        Finding f = new KeyRotationCheck().judge(kept, device.rules());
        assertEquals(Finding.Status.PASS, f.status(), f.message());

        Observation changed = new Observation(TestDevice.testCase("KEYROT-REG-LEFT-SLAP"), device.profile());
        changed.infos.add(l1Info(chip));
        changed.infos.add(l1Info(chip.rotated()));
        changed.certificateBefore = device.deviceCert;
        changed.certificateAfter = device.rotated().deviceCert;
        Finding g = new KeyRotationCheck().judge(changed, device.rules());
        assertTrue(g.failed(), g.message());
        assertTrue(g.message().contains("signed by another chip key after the rotation"), g.message());
    }

    @Test
    void failsWhenACertificateCouldNotBeRead() {
        Observation o = rotation();
        o.certificateBefore = device.deviceCert;
        assertTrue(new KeyRotationCheck().judge(o, device.rules()).failed());
    }
}
