package org.stationtrust.ctk.internal.check;

import java.security.cert.CertificateEncodingException;
import java.util.Arrays;
import java.util.List;
import org.stationtrust.sbi.client.DeviceAnswerRejected;

/**
 * Key rotation passes only when the device certificate really changed (other bytes and other public
 * key), the new certificate is valid now and chains to the vendor CA, and it is the same device
 * (MOSIP's toolkit accepts an unchanged or untrusted certificate).
 */
public final class KeyRotationCheck implements Check {

    @Override
    public String name() {
        return "key-rotation";
    }

    @Override
    public Finding judge(Observation o, JudgingRules rules) {
        if (o.certificateBefore == null || o.certificateAfter == null) {
            return Finding.fail(name(), "device certificate not read " + (o.certificateBefore == null ? "before" : "after")
                    + " the rotation (device info unsigned or unreadable)");
        }
        try {
            if (Arrays.equals(o.certificateBefore.getEncoded(), o.certificateAfter.getEncoded())
                    || o.certificateBefore.getPublicKey().equals(o.certificateAfter.getPublicKey())) {
                return Finding.fail(name(), "the device key did not change: same certificate/public key before and after "
                        + "(serial " + o.certificateAfter.getSerialNumber().toString(16) + ")");
            }
        } catch (CertificateEncodingException e) {
            return Finding.fail(name(), "cannot encode the device certificate: " + e.getMessage());
        }
        try {
            rules.trustStore().check(List.of(o.certificateAfter), rules.clock().instant());
        } catch (DeviceAnswerRejected e) {
            return Finding.fail(name(), "the rotated certificate is not trusted (" + e.reason() + "): " + e.detail());
        }
        return Finding.pass(name(), "certificate changed (serial " + o.certificateBefore.getSerialNumber().toString(16)
                + " -> " + o.certificateAfter.getSerialNumber().toString(16) + ") and the new one chains to the vendor CA");
    }
}
