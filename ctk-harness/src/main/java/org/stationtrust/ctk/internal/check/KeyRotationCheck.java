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
        var idBefore = JsonFacts.digitalId(before.path("digitalId").asText(null));
        var idAfter = JsonFacts.digitalId(after.path("digitalId").asText(null));
        if (idBefore.isEmpty() || idAfter.isEmpty()) {
            return "the digitalId could not be read before or after the rotation";
        }
        for (String f : DigitalIdCheck.IDENTITY) {
            if (!idBefore.get().path(f).asText("").equals(idAfter.get().path(f).asText(""))) {
                return "the device changed across the rotation: digitalId." + f + " '" + idBefore.get().path(f).asText("")
                        + "' became '" + idAfter.get().path(f).asText("") + "'";
            }
        }
        return null;
    }
}
