package org.stationtrust.tpm;

/** TPM_RC_HANDLE / TPM_RC_REFERENCE_*: a handle names no loaded or persistent object (e.g. a key was evicted). */
public final class TpmHandleInvalid extends TpmCommandFailed {
    private static final long serialVersionUID = 1L;

    public TpmHandleInvalid(String command, int responseCode, String codeName, String message) {
        super(command, responseCode, codeName, message);
    }
}
