package org.stationtrust.tpm.verify;

/** The attestation is valid but is not a quote (TPM_ST_ATTEST_QUOTE). */
public final class NotAQuote extends TpmVerificationException {
    private static final long serialVersionUID = 1L;

    public NotAQuote(String message) {
        super(message);
    }

    public NotAQuote(String message, Throwable cause) {
        super(message, cause);
    }
}
