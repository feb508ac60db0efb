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

    private static Observation rotation() {
        return new Observation(TestDevice.testCase("KEYROT-REG-LEFT-SLAP"), device.profile());
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

    @Test
    void failsWhenACertificateCouldNotBeRead() {
        Observation o = rotation();
        o.certificateBefore = device.deviceCert;
        assertTrue(new KeyRotationCheck().judge(o, device.rules()).failed());
    }
}
