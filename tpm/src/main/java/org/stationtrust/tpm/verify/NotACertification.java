package org.stationtrust.tpm.verify;

/** The attestation is valid but is not a certification (TPM_ST_ATTEST_CERTIFY). */
public final class NotACertification extends TpmVerificationException {
    private static final long serialVersionUID = 1L;

    public NotACertification(String message) {
        super(message);
    }

    public NotACertification(String message, Throwable cause) {
        super(message, cause);
    }
}
