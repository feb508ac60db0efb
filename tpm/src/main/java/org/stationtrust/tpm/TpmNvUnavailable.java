package org.stationtrust.tpm;

/** TPM_RC_NV_UNAVAILABLE / TPM_RC_NV_RATE: the TPM's NV memory cannot be written right now. */
public final class TpmNvUnavailable extends TpmCommandFailed {
    private static final long serialVersionUID = 1L;

    public TpmNvUnavailable(String command, int responseCode, String codeName, String message) {
        super(command, responseCode, codeName, message);
    }
}
