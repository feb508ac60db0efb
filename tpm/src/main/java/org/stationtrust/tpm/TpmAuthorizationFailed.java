package org.stationtrust.tpm;

/** TPM_RC_AUTH_FAIL / TPM_RC_BAD_AUTH and related: the authorization value or session was wrong or missing. */
public final class TpmAuthorizationFailed extends TpmCommandFailed {
    private static final long serialVersionUID = 1L;

    public TpmAuthorizationFailed(String command, int responseCode, String codeName, String message) {
        super(command, responseCode, codeName, message);
    }
}
