package org.stationtrust.tpm.verify;

/** The attestation does not start with TPM_GENERATED_VALUE (0xff544347), so a TPM did not produce it. */
public final class NotTpmGenerated extends TpmVerificationException {
    private static final long serialVersionUID = 1L;

    public NotTpmGenerated(String message) {
        super(message);
    }

    public NotTpmGenerated(String message, Throwable cause) {
        super(message, cause);
    }
}
