package org.stationtrust.tpm.verify;

/** The EK public area and the EK certificate hold different keys. */
public final class EkKeyMismatch extends TpmVerificationException {
    private static final long serialVersionUID = 1L;

    public EkKeyMismatch(String message) {
        super(message);
    }

    public EkKeyMismatch(String message, Throwable cause) {
        super(message, cause);
    }
}
