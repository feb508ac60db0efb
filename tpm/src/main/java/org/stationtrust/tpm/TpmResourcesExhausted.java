package org.stationtrust.tpm;

/** TPM_RC_OBJECT_MEMORY / SESSION_MEMORY / *_HANDLES: too many objects or sessions loaded. */
public final class TpmResourcesExhausted extends TpmCommandFailed {
    private static final long serialVersionUID = 1L;

    public TpmResourcesExhausted(String command, int responseCode, String codeName, String message) {
        super(command, responseCode, codeName, message);
    }
}
