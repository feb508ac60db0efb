package org.stationtrust.tpm;

/** The TPM exists but this process may not use it (on Linux: not in the tss group). */
public final class TpmAccessDenied extends TpmException {
    private static final long serialVersionUID = 1L;

    public TpmAccessDenied(String message) {
        super(message);
    }

    public TpmAccessDenied(String message, Throwable cause) {
        super(message, cause);
    }
}
