package org.stationtrust.ctk.internal.check;

import java.security.cert.CertificateEncodingException;
import java.util.Arrays;
import java.util.List;
import org.stationtrust.sbi.client.DeviceAnswerRejected;

/**
 * Key rotation passes only when the device certificate really changed (other bytes and other public
 * key), the new certificate is valid now and chains to the vendor CA, and it is the same device
 * (MOSIP's toolkit accepts an unchanged or untrusted certificate); an L1 device keeps signing its
 * digitalId with the same chip key.
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
            // The whole x5c chain: a rotated key may be issued by an intermediate the device sends along.
            rules.trustStore().check(o.chainAfter.isEmpty() ? List.of(o.certificateAfter) : o.chainAfter,
                    rules.clock().instant());
        } catch (DeviceAnswerRejected e) {
            return Finding.fail(name(), "the rotated certificate is not trusted (" + e.reason() + "): " + e.detail());
        }
        if (!o.certificateAfter.getNotBefore().after(o.certificateBefore.getNotBefore())) {
            return Finding.fail(name(), "the new certificate's notBefore " + o.certificateAfter.getNotBefore().toInstant()
                    + " is not later than the old one's " + o.certificateBefore.getNotBefore().toInstant()
                    + " (an older certificate brought back, not a rotation)");
        }
        String identity = sameDevice(o);
        if (identity != null) {
            return Finding.fail(name(), identity);
        }
        return Finding.pass(name(), "same device, certificate changed (serial " + o.certificateBefore.getSerialNumber().toString(16)
                + " -> " + o.certificateAfter.getSerialNumber().toString(16) + ") and the new one chains to the vendor CA");
    }

    /** The device identity (digitalId fields, deviceId, deviceCode) before and after; null when equal. */
    private static String sameDevice(Observation o) {
        List<Observation.InfoEntry> signed = o.infos.stream().filter(i -> i.payload() != null).toList();
        if (signed.size() < 2) {
            return "device info was not read both before and after the rotation";
        }
        com.fasterxml.jackson.databind.JsonNode before = signed.get(0).payload();
        com.fasterxml.jackson.databind.JsonNode after = signed.get(signed.size() - 1).payload();
        for (String f : List.of("deviceId", "deviceCode")) {
            if (!before.path(f).asText("").equals(after.path(f).asText(""))) {
                return "the device changed across the rotation: " + f + " '" + before.path(f).asText("")
                        + "' became '" + after.path(f).asText("") + "'";
            }
        }
        var idBefore = AnswerFields.digitalId(before.path("digitalId").asText(null));
        var idAfter = AnswerFields.digitalId(after.path("digitalId").asText(null));
        if (idBefore.isEmpty() || idAfter.isEmpty()) {
            return "the digitalId could not be read before or after the rotation";
        }
        for (String f : DigitalIdCheck.IDENTITY) {
            if (!idBefore.get().path(f).asText("").equals(idAfter.get().path(f).asText(""))) {
                return "the device changed across the rotation: digitalId." + f + " '" + idBefore.get().path(f).asText("")
                        + "' became '" + idAfter.get().path(f).asText("") + "'";
            }
        }
        return "L1".equals(after.path("certification").asText("")) ? chipKept(before.path("digitalId").asText(""),
                after.path("digitalId").asText("")) : null;
    }

    /**
     * SBI 0.9.5 §Keys: the FTM key "is a permanent key and would never be rotated"; only the device key
     * rotates. So an L1 device signs its digitalId with the same chip key before and after. Null when so.
     */
    private static String chipKept(String before, String after) {
        try {
            List<java.security.cert.X509Certificate> chipBefore = chainOf(before);
            List<java.security.cert.X509Certificate> chipAfter = chainOf(after);
            if (chipBefore.isEmpty() || chipAfter.isEmpty()) {
                return "the L1 digitalId carries no chip certificate before or after the rotation";
            }
            if (!chipBefore.get(0).getPublicKey().equals(chipAfter.get(0).getPublicKey())) {
                return "the L1 digitalId is signed by another chip key after the rotation (chip certificate serial "
                        + chipBefore.get(0).getSerialNumber().toString(16) + " -> " + chipAfter.get(0).getSerialNumber().toString(16)
                        + "); SBI 0.9.5 §Keys: the FTM key is permanent, only the device key rotates";
            }
            return null;
        } catch (RuntimeException e) {
            return "the L1 digitalId's chip certificate could not be read: " + e.getMessage();
        }
    }

    private static List<java.security.cert.X509Certificate> chainOf(String compact) {
        return Certificates.header(compact).map(h -> {
            try {
                return Certificates.chain(h);
            } catch (java.security.cert.CertificateException e) {
                return List.<java.security.cert.X509Certificate>of();
            }
        }).orElse(List.of());
    }
}
