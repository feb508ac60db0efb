package org.stationtrust.tpm;

/**
 * Base of every failure talking to a TPM. Each subclass is a failure a caller can act on, and its
 * message says what was expected, what was seen and what to do.
 */
public abstract class TpmException extends Exception {
    private static final long serialVersionUID = 1L;

    protected TpmException(String message) {
        super(message);
    }

    protected TpmException(String message, Throwable cause) {
        super(message, cause);
    }
}
