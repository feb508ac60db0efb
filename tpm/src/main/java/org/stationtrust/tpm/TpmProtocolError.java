package org.stationtrust.tpm;

/** The TPM answered with bytes that do not form a valid response, or a TPM structure was malformed. */
public final class TpmProtocolError extends TpmException {
    private static final long serialVersionUID = 1L;

    public TpmProtocolError(String message) {
        super(message);
    }

    public TpmProtocolError(String message, Throwable cause) {
        super(message, cause);
    }
}
