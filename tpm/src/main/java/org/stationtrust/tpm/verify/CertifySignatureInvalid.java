package org.stationtrust.tpm.verify;

/** The certification's signature does not verify with the attestation key. */
public final class CertifySignatureInvalid extends TpmVerificationException {
    private static final long serialVersionUID = 1L;

    public CertifySignatureInvalid(String message) {
        super(message);
    }

    public CertifySignatureInvalid(String message, Throwable cause) {
        super(message, cause);
    }
}
