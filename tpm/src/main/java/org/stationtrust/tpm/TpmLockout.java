package org.stationtrust.tpm;

/** TPM_RC_LOCKOUT: dictionary-attack protection is active; authorizations are refused until it recovers or is reset. */
public final class TpmLockout extends TpmCommandFailed {
    private static final long serialVersionUID = 1L;

    public TpmLockout(String command, int responseCode, String codeName, String message) {
        super(command, responseCode, codeName, message);
    }
}
