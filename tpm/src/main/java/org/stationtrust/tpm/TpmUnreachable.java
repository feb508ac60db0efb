package org.stationtrust.tpm;

/** The TPM (or simulator) did not answer: connection refused, closed or timed out. */
public final class TpmUnreachable extends TpmException {
    private static final long serialVersionUID = 1L;

    public TpmUnreachable(String message) {
        super(message);
    }

    public TpmUnreachable(String message, Throwable cause) {
        super(message, cause);
    }
}
