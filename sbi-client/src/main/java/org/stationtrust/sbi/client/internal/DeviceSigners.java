package org.stationtrust.sbi.client.internal;

import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import org.stationtrust.logging.Redaction;
import org.stationtrust.sbi.client.Device;
import org.stationtrust.sbi.client.DeviceAnswerRejected;
import org.stationtrust.sbi.client.RejectionReason;

/**
 * Who may sign what (sbi-protocol.md §Signatures): the device key signs device info and every capture
 * {@code data}; the digitalId is signed by that same device key at L0 and by another key, the FTM chip's,
 * at L1. Chaining to a trusted CA is not enough: any trusted device could otherwise copy another device's
 * public signed digitalId and answer in its name. Keys are compared by their SubjectPublicKeyInfo, so a
 * renewed certificate over the same key still matches.
 */
final class DeviceSigners {
    static final String LEVEL_0 = "L0";
    static final String LEVEL_1 = "L1";

    private DeviceSigners() {
    }

    /** True when both certificates hold the same public key. */
    static boolean sameKey(X509Certificate a, X509Certificate b) {
        return MessageDigest.isEqual(a.getPublicKey().getEncoded(), b.getPublicKey().getEncoded());
    }

    /** A capture's {@code data} must be signed by the key that signed the device info read at discovery. */
    static void requireDeviceKey(Device device, X509Certificate signer, String what) throws DeviceAnswerRejected {
        X509Certificate known = device.certificate().orElseThrow(() -> new DeviceAnswerRejected(
                RejectionReason.NOT_REGISTERED, device + " has no verified certificate"));
        if (!sameKey(known, signer)) {
            throw new DeviceAnswerRejected(RejectionReason.SIGNER_MISMATCH, what + " is signed by "
                    + DeviceJwsVerifier.name(signer) + ", but the device info of " + device + " was signed by "
                    + DeviceJwsVerifier.name(known) + " (another key)");
        }
    }

    /**
     * The digitalId signer required by the certification level the device declared in its signed info:
     * L0 the device key itself, L1 a different key (the chip's); the trust chain of each, to the roots of its own
     * domain, is checked by the JWS verifier {@link DeviceVerifiers} chose. Any other level cannot be judged and is refused.
     */
    static void requireDigitalIdSigner(String certification, X509Certificate deviceKey, X509Certificate idSigner,
                                       String what) throws DeviceAnswerRejected {
        boolean same = sameKey(deviceKey, idSigner);
        if (LEVEL_0.equals(certification) && !same) {
            throw new DeviceAnswerRejected(RejectionReason.DIGITAL_ID_SIGNER_INVALID, what + " is signed by "
                    + DeviceJwsVerifier.name(idSigner) + ", but an L0 device signs its digitalId with its device key ("
                    + DeviceJwsVerifier.name(deviceKey) + ")");
        }
        if (LEVEL_1.equals(certification) && same) {
            throw new DeviceAnswerRejected(RejectionReason.DIGITAL_ID_SIGNER_INVALID, what
                    + " is signed by the device key, but an L1 device signs its digitalId with its FTM chip key");
        }
        if (!LEVEL_0.equals(certification) && !LEVEL_1.equals(certification)) {
            throw new DeviceAnswerRejected(RejectionReason.DIGITAL_ID_SIGNER_INVALID, "certification '"
                    + Redaction.deviceText(certification) + "' is neither L0 nor L1, so the signer of " + what
                    + " cannot be judged");
        }
    }
}
