package org.stationtrust.tpm;

/** TPM_RC_INTEGRITY: a protected blob was not made for this TPM or this key (wrong EK, wrong AK name, copied blob). */
public final class TpmIntegrityCheckFailed extends TpmCommandFailed {
    private static final long serialVersionUID = 1L;

    public TpmIntegrityCheckFailed(String command, int responseCode, String codeName, String message) {
        super(command, responseCode, codeName, message);
    }
}
