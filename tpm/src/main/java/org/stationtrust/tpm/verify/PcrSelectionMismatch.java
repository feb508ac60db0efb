package org.stationtrust.tpm.verify;

/** The PCR selection signed in the quote is not the set of PCR values sent with it. */
public final class PcrSelectionMismatch extends TpmVerificationException {
    private static final long serialVersionUID = 1L;

    public PcrSelectionMismatch(String message) {
        super(message);
    }

    public PcrSelectionMismatch(String message, Throwable cause) {
        super(message, cause);
    }
}
