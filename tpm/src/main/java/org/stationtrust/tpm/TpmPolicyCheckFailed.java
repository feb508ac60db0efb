package org.stationtrust.tpm;

/** TPM_RC_POLICY_FAIL / TPM_RC_PCR_CHANGED and related: a policy (e.g. PCR values) is not satisfied. */
public final class TpmPolicyCheckFailed extends TpmCommandFailed {
    private static final long serialVersionUID = 1L;

    public TpmPolicyCheckFailed(String command, int responseCode, String codeName, String message) {
        super(command, responseCode, codeName, message);
    }
}
