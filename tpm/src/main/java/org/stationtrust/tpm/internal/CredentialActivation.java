package org.stationtrust.tpm.internal;

import org.stationtrust.tpm.TpmCommandFailed;
import org.stationtrust.tpm.TpmException;
import org.stationtrust.tpm.TpmIntegrityCheckFailed;
import org.stationtrust.tpm.TpmProtocolError;

import tss.tpm.TPMS_ID_OBJECT;
import tss.tpm.TPMT_PUBLIC;
import tss.tpm.TPM_HANDLE;
import tss.tpm.TPM_SE;

/**
 * TPM2_ActivateCredential with the AK and the EK recreated from its template. The TCG low-range EK
 * has only an admin policy (PolicySecret on the endorsement hierarchy), so it is used through a
 * policy session; the high-range EK (userWithAuth) takes the empty password.
 */
public final class CredentialActivation {
    /** A credential blob is an HMAC plus an encrypted digest: a few hundred bytes at most. */
    private static final int MAX_BLOB = 1024;
    private static final int MAX_SECRET = 1024;
    private static final int USER_WITH_AUTH = 0x40;
    private static final int VALUE = 0x084;
    private static final int SIZE = 0x095;
    private static final int FAILURE = 0x101;

    private CredentialActivation() {
    }

    public static byte[] activate(TpmChannel channel, int akHandle, TPMT_PUBLIC ekTemplate, byte[] credentialBlob,
                                  byte[] encryptedSecret) throws TpmException {
        TPMS_ID_OBJECT idObject = idObject(credentialBlob);
        if (encryptedSecret == null || encryptedSecret.length == 0 || encryptedSecret.length > MAX_SECRET) {
            throw new IllegalArgumentException("encryptedSecret must be 1.." + MAX_SECRET + " bytes, got "
                    + (encryptedSecret == null ? "none" : encryptedSecret.length));
        }
        try {
            return activateWithEk(channel, new TPM_HANDLE(akHandle), ekTemplate, idObject, encryptedSecret);
        } catch (TpmCommandFailed e) {
            int base = ResponseCodes.baseCode(e.responseCode());
            boolean seedRejected = e.command().equals("TPM2_ActivateCredential")
                    && (base == VALUE || base == SIZE || base == FAILURE);
            if (!seedRejected) {
                throw e;
            }
            // The EK could not decrypt the seed: made for another EK. (libtpms reports TPM_RC_FAILURE here.)
            throw new TpmIntegrityCheckFailed(e.command(), e.responseCode(), e.codeName(), e.command() + " failed with "
                    + e.codeName() + ": this TPM's EK cannot decrypt the challenge's seed, so it was made for another EK; "
                    + "ask the server for a challenge made for this machine's EK public area");
        }
    }

    private static byte[] activateWithEk(TpmChannel channel, TPM_HANDLE ak, TPMT_PUBLIC ekTemplate,
                                         TPMS_ID_OBJECT idObject, byte[] encryptedSecret) throws TpmException {
        Objects.Primary ek = Objects.createPrimary(channel, TPM_HANDLE.ENDORSEMENT, ekTemplate);
        TPM_HANDLE session = null;
        try {
            if ((ekTemplate.objectAttributes.toInt() & USER_WITH_AUTH) != 0) {
                return channel.call("TPM2_ActivateCredential",
                        t -> t.ActivateCredential(ak, ek.handle(), idObject, encryptedSecret));
            }
            session = Sessions.start(channel, TPM_SE.POLICY);
            Sessions.policySecretEndorsement(channel, session);
            TPM_HANDLE policy = session;
            // sessions pair with handles by position: AK (admin role, password) first, then the EK (policy)
            return channel.call("TPM2_ActivateCredential", t -> t._withSessions(TPM_HANDLE.PW, policy)
                    .ActivateCredential(ak, ek.handle(), idObject, encryptedSecret));
        } finally {
            channel.flushQuietly(session);
            channel.flushQuietly(ek.handle());
        }
    }

    /** Splits TPM2_ID_OBJECT content: integrityHMAC as TPM2B, then encIdentity (its size is encrypted). */
    private static TPMS_ID_OBJECT idObject(byte[] blob) throws TpmProtocolError {
        if (blob == null || blob.length < 4 || blob.length > MAX_BLOB) {
            throw new IllegalArgumentException("credentialBlob must be 4.." + MAX_BLOB + " bytes, got "
                    + (blob == null ? "none" : blob.length));
        }
        Wire wire = new Wire(blob, "credential blob");
        byte[] hmac;
        try {
            hmac = wire.sized("integrityHMAC");
        } catch (TpmProtocolError e) {
            throw new IllegalArgumentException("credentialBlob is not a TPM2B_ID_OBJECT content: " + e.getMessage(), e);
        }
        byte[] encIdentity = wire.rest();
        if (hmac.length == 0 || encIdentity.length == 0) {
            throw new IllegalArgumentException("credentialBlob lacks its integrity HMAC or encrypted identity");
        }
        return new TPMS_ID_OBJECT(hmac, encIdentity);
    }
}
