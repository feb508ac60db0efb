package org.stationtrust.tpm.verify;

/**
 * Base of every failure of the pure-software verification of TPM evidence. Each subclass names one
 * failure a caller can act on; the message says what was expected, what was seen and what to do.
 */
public abstract class TpmVerificationException extends Exception {
    private static final long serialVersionUID = 1L;

    protected TpmVerificationException(String message) {
        super(message);
    }

    protected TpmVerificationException(String message, Throwable cause) {
        super(message, cause);
    }
}
