package org.stationtrust.tpm.simulator;

/**
 * The software TPM (swtpm) could not be set up, started or stopped. Unchecked on purpose: it is a
 * test and demo fixture, and a failure there is an environment problem, not a case to handle.
 */
public final class SoftwareTpmException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SoftwareTpmException(String message) {
        super(message);
    }

    public SoftwareTpmException(String message, Throwable cause) {
        super(message, cause);
    }
}
