package org.stationtrust.tpm.verify;

/** The key given as attestation key cannot vouch for attestations (not a restricted signing key). */
public final class UnsuitableAttestationKey extends TpmVerificationException {
    private static final long serialVersionUID = 1L;

    public UnsuitableAttestationKey(String message) {
        super(message);
    }

    public UnsuitableAttestationKey(String message, Throwable cause) {
        super(message, cause);
    }
}
