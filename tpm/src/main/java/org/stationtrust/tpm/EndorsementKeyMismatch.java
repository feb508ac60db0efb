package org.stationtrust.tpm;

/** The EK recreated from the TCG template does not match the key in the EK certificate. */
public final class EndorsementKeyMismatch extends TpmException {
    private static final long serialVersionUID = 1L;

    public EndorsementKeyMismatch(String message) {
        super(message);
    }

    public EndorsementKeyMismatch(String message, Throwable cause) {
        super(message, cause);
    }
}
