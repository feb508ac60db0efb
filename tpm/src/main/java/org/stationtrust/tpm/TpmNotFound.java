package org.stationtrust.tpm;

/** No TPM at the configured place: the device file does not exist or the platform has no TPM service. */
public final class TpmNotFound extends TpmException {
    private static final long serialVersionUID = 1L;

    public TpmNotFound(String message) {
        super(message);
    }

    public TpmNotFound(String message, Throwable cause) {
        super(message, cause);
    }
}
