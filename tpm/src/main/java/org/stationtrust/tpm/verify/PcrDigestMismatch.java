package org.stationtrust.tpm.verify;

/** The PCR digest signed in the quote does not match the PCR values sent with it. */
public final class PcrDigestMismatch extends TpmVerificationException {
    private static final long serialVersionUID = 1L;

    public PcrDigestMismatch(String message) {
        super(message);
    }

    public PcrDigestMismatch(String message, Throwable cause) {
        super(message, cause);
    }
}
