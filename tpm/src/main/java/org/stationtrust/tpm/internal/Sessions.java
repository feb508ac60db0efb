package org.stationtrust.tpm.internal;

import org.stationtrust.tpm.TpmException;

import tss.tpm.StartAuthSessionResponse;
import tss.tpm.TPMT_SYM_DEF;
import tss.tpm.TPM_ALG_ID;
import tss.tpm.TPM_HANDLE;
import tss.tpm.TPM_SE;

/** Policy sessions, always flushed by the caller in a finally block. */
public final class Sessions {
    private Sessions() {
    }

    /** Starts an unbound, unsalted SHA-256 policy (or trial) session. */
    public static TPM_HANDLE start(TpmChannel channel, TPM_SE type) throws TpmException {
        byte[] nonceCaller = new byte[16];
        new java.security.SecureRandom().nextBytes(nonceCaller);
        StartAuthSessionResponse r = channel.call("TPM2_StartAuthSession", t -> t.StartAuthSession(
                TPM_HANDLE.NULL, TPM_HANDLE.NULL, nonceCaller, new byte[0], type,
                new TPMT_SYM_DEF(TPM_ALG_ID.NULL, 0, TPM_ALG_ID.NULL), TPM_ALG_ID.SHA256));
        return r.handle;
    }

    /** PolicySecret(TPM_RH_ENDORSEMENT): what the TCG EK policy A requires (empty endorsement auth). */
    public static void policySecretEndorsement(TpmChannel channel, TPM_HANDLE session) throws TpmException {
        channel.run("TPM2_PolicySecret", t -> t.PolicySecret(TPM_HANDLE.ENDORSEMENT, session,
                new byte[0], new byte[0], new byte[0], 0));
    }
}
