package org.stationtrust.tpm;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;

import org.stationtrust.tpm.internal.TpmChannel;
import org.stationtrust.tpm.verify.MalformedTpmStructure;
import org.stationtrust.tpm.verify.TpmPublic;
import org.stationtrust.tpm.verify.TpmSignature;

import tss.tpm.TPMS_NULL_SIG_SCHEME;
import tss.tpm.TPMT_TK_HASHCHECK;
import tss.tpm.TPM_HANDLE;

/**
 * The machine signing key: ECDSA P-256 inside the TPM (fixedTPM, fixedParent, sensitiveDataOrigin),
 * persistent, so one signature is one TPM2_Sign command with an inline password session: no load,
 * no session round trip.
 */
public final class MachineKey {
    private final TpmChannel channel;
    private final TPM_HANDLE handle;
    private final TpmPublic publicArea;
    private final PublicKey publicKey;
    private final TPMS_NULL_SIG_SCHEME keyScheme = new TPMS_NULL_SIG_SCHEME();
    /** The NULL ticket (TPM_ST_HASHCHECK, TPM_RH_NULL, empty): TSS.Java's nullTicket() names the owner hierarchy. */
    private final TPMT_TK_HASHCHECK noTicket = new TPMT_TK_HASHCHECK(TPM_HANDLE.NULL, new byte[0]);

    MachineKey(TpmChannel channel, int handle, TpmPublic publicArea) {
        this.channel = channel;
        this.handle = new TPM_HANDLE(handle);
        this.publicArea = publicArea;
        this.publicKey = publicArea.toPublicKey();
    }

    /** Signs SHA-256(data); returns an ASN.1 DER ECDSA signature (what {@code SHA256withECDSA} verifies). */
    public byte[] signDer(byte[] data) throws TpmException {
        return sign(data).toDer();
    }

    /** Signs SHA-256(data); returns the JOSE form r||s (64 bytes), as ES256 in a JWS carries it. */
    public byte[] signJose(byte[] data) throws TpmException {
        return sign(data).toJose();
    }

    private TpmSignature sign(byte[] data) throws TpmException {
        byte[] digest = sha256(data);
        byte[] raw = channel.callForParameters("TPM2_Sign", t -> t.Sign(handle, digest, keyScheme, noTicket));
        try {
            return TpmSignature.parse(raw);
        } catch (MalformedTpmStructure e) {
            throw new TpmProtocolError("TPM2_Sign returned a signature that does not parse: " + e.getMessage(), e);
        }
    }

    /** The public area, as sent to the server with the certification. */
    public TpmPublic publicArea() {
        return publicArea;
    }

    /** The public key as a JCA {@link java.security.interfaces.ECPublicKey}. */
    public PublicKey publicKey() {
        return publicKey;
    }

    /** The TPM Name of the key (what TPM2_Certify attests). */
    public byte[] name() {
        return publicArea.name();
    }

    /** The persistent handle the key lives at. */
    public int handle() {
        return handle.handle;
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return String.format("MachineKey[0x%08X]", handle.handle);
    }
}
