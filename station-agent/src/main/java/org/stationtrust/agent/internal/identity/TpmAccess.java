package org.stationtrust.agent.internal.identity;

import org.stationtrust.tpm.MachineIdentity;
import org.stationtrust.tpm.TpmException;

/** Serialised use of the TPM identity; reconnects once when the TPM connection was lost (e.g. a restarted swtpm). */
public interface TpmAccess {
    <T> T call(TpmCall<T> call) throws TpmException;

    /** One piece of work with the machine identity. */
    @FunctionalInterface
    interface TpmCall<T> {
        T apply(MachineIdentity machine) throws TpmException;
    }

    /** The identity as of now (for public keys and names, which do not need the TPM). */
    MachineIdentity current();
}
