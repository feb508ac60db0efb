package org.stationtrust.tpm.verify;

/** The endorsement key public area cannot receive a credential (unsupported type or parameters). */
public final class UnsuitableEndorsementKey extends TpmVerificationException {
    private static final long serialVersionUID = 1L;

    public UnsuitableEndorsementKey(String message) {
        super(message);
    }

    public UnsuitableEndorsementKey(String message, Throwable cause) {
        super(message, cause);
    }
}
