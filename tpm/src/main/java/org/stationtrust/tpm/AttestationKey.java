package org.stationtrust.tpm;

import java.security.PublicKey;

import org.stationtrust.tpm.verify.TpmPublic;

/** The attestation key (AK): a restricted signing key that only signs TPM-made structures (quotes, certifications). */
public final class AttestationKey {
    private final int handle;
    private final TpmPublic publicArea;

    AttestationKey(int handle, TpmPublic publicArea) {
        this.handle = handle;
        this.publicArea = publicArea;
    }

    /** The AK public area, sent to the server; its Name binds the credential challenge. */
    public TpmPublic publicArea() {
        return publicArea;
    }

    public PublicKey publicKey() {
        return publicArea.toPublicKey();
    }

    public byte[] name() {
        return publicArea.name();
    }

    public int handle() {
        return handle;
    }

    @Override
    public String toString() {
        return String.format("AttestationKey[0x%08X, %s]", handle, publicArea.type());
    }
}
