package org.stationtrust.tpm;

import java.util.Optional;

import org.stationtrust.tpm.internal.CredentialActivation;
import org.stationtrust.tpm.internal.PersistentObjects;
import org.stationtrust.tpm.internal.QuoteCommand;
import org.stationtrust.tpm.internal.Templates;
import org.stationtrust.tpm.internal.TpmChannel;
import org.stationtrust.tpm.internal.Wire;
import org.stationtrust.tpm.verify.EccCurve;
import org.stationtrust.tpm.verify.KeyType;
import org.stationtrust.tpm.verify.TpmPublic;

import tss.tpm.GetCapabilityResponse;
import tss.tpm.TPML_ECC_CURVE;
import tss.tpm.TPMS_NULL_SIG_SCHEME;
import tss.tpm.TPMT_PUBLIC;
import tss.tpm.TPM_CAP;
import tss.tpm.TPM_ECC_CURVE;
import tss.tpm.TPM_HANDLE;

/**
 * The machine's identity inside its TPM: the endorsement key (certificate from NV), the attestation
 * key and the machine signing key, both persistent under the storage root key. Provisioning is
 * idempotent: keys already at the configured handles are reused after checking their attributes.
 */
public final class MachineIdentity {
    private static final int MAX_QUALIFYING_DATA = 32;

    private final TpmConnection connection;
    private final IdentityConfig config;
    private final EndorsementKey endorsementKey;
    private final AttestationKey attestationKey;
    private volatile MachineKey machineKey;

    private MachineIdentity(TpmConnection connection, IdentityConfig config, EndorsementKey endorsementKey,
                            AttestationKey attestationKey, MachineKey machineKey) {
        this.connection = connection;
        this.config = config;
        this.endorsementKey = endorsementKey;
        this.attestationKey = attestationKey;
        this.machineKey = machineKey;
    }

    /**
     * Loads the identity, creating and persisting whatever is missing: the storage root key, the AK
     * and the machine key. Running it again finds the same keys (after a reboot too).
     */
    public static MachineIdentity provision(TpmConnection connection, IdentityConfig config) throws TpmException {
        TpmChannel channel = connection.channel();
        EndorsementKey ek = EndorsementKey.read(connection);
        PersistentObjects.ensureStorageRoot(channel, config.storageRootHandle());
        TpmPublic ak = ensureKey(channel, config.attestationKeyHandle(), "attestation key",
                () -> attestationKeyTemplate(channel, config), config, MachineIdentity::isAttestationKey);
        TpmPublic mk = ensureKey(channel, config.machineKeyHandle(), "machine key", Templates::machineSigningKey,
                config, MachineIdentity::isMachineKey);
        return new MachineIdentity(connection, config, ek, new AttestationKey(config.attestationKeyHandle(), ak),
                new MachineKey(channel, config.machineKeyHandle(), mk));
    }

    public EndorsementKey endorsementKey() {
        return endorsementKey;
    }

    public AttestationKey attestationKey() {
        return attestationKey;
    }

    /** The current machine key (a new one after {@link #rotateMachineKey()}). */
    public MachineKey machineKey() {
        return machineKey;
    }

    public IdentityConfig config() {
        return config;
    }

    /** TPM2_Certify: the AK attests the machine key's Name, with the server's qualifying data (1..32 bytes). */
    public KeyCertification certifyMachineKey(byte[] qualifyingData) throws TpmException {
        requireQualifyingData("qualifyingData", qualifyingData);
        TPM_HANDLE object = new TPM_HANDLE(machineKey.handle());
        TPM_HANDLE signer = new TPM_HANDLE(attestationKey.handle());
        byte[] parameters = connection.channel().callForParameters("TPM2_Certify",
                t -> t.Certify(object, signer, qualifyingData, new TPMS_NULL_SIG_SCHEME()));
        Wire wire = new Wire(parameters, "TPM2_Certify response");
        byte[] attest = wire.sized("certifyInfo");
        return new KeyCertification(attest, wire.rest());
    }

    /** TPM2_Quote of the default PCRs (sha256:0-7) with the caller's nonce (1..32 bytes). */
    public Quote quote(byte[] nonce) throws TpmException {
        return quote(nonce, PcrSelection.DEFAULT);
    }

    /** TPM2_Quote of {@code pcrs} in the SHA-256 bank with the caller's nonce, plus the PCR values it covers. */
    public Quote quote(byte[] nonce, PcrSelection pcrs) throws TpmException {
        return quote(nonce, pcrs, PcrBanks.SHA256);
    }

    /**
     * TPM2_Quote of {@code pcrs} in each of {@code banks} (one selection, in that order) with the caller's nonce,
     * plus the PCR values it covers. A bank the TPM has not allocated fails with {@link TpmProtocolError}.
     */
    public Quote quote(byte[] nonce, PcrSelection pcrs, PcrBanks banks) throws TpmException {
        requireQualifyingData("nonce", nonce);
        java.util.Objects.requireNonNull(banks, "banks");
        return QuoteCommand.quote(connection.channel(), attestationKey.handle(), nonce.clone(), pcrs.pcrs(),
                banks.banks());
    }

    /**
     * TPM2_ActivateCredential: recovers the secret the server wrapped for our EK and AK Name. Fails
     * with {@link TpmIntegrityCheckFailed} when the challenge was made for another AK or another EK.
     */
    public byte[] activateCredential(byte[] credentialBlob, byte[] encryptedSecret) throws TpmException {
        return CredentialActivation.activate(connection.channel(), attestationKey.handle(),
                endorsementKey.kind().template(), credentialBlob, encryptedSecret);
    }

    /** Replaces the machine key with a fresh one at the same handle; the old key is gone for good. */
    public MachineKey rotateMachineKey() throws TpmException {
        TpmChannel channel = connection.channel();
        TPMT_PUBLIC created = PersistentObjects.replaceChild(channel, config.storageRootHandle(),
                Templates.machineSigningKey(), config.machineKeyHandle());
        MachineKey fresh = new MachineKey(channel, config.machineKeyHandle(),
                org.stationtrust.tpm.internal.Objects.toTpmPublic(created));
        machineKey = fresh;
        return fresh;
    }

    /**
     * Evicts only the machine key at this identity's handle (the loser of a key rotation); the AK and the
     * storage root stay. Nothing happens when the handle is already empty.
     */
    public void evictMachineKey() throws TpmException {
        TpmChannel channel = connection.channel();
        if (PersistentObjects.read(channel, config.machineKeyHandle()).isPresent()) {
            PersistentObjects.evict(channel, config.machineKeyHandle());
        }
    }

    /** Evicts the AK and the machine key (the storage root stays: sealed data depends on it). */
    public void deprovision() throws TpmException {
        TpmChannel channel = connection.channel();
        for (int handle : new int[] {config.machineKeyHandle(), config.attestationKeyHandle()}) {
            if (PersistentObjects.read(channel, handle).isPresent()) {
                PersistentObjects.evict(channel, handle);
            }
        }
    }

    private interface TemplateSource {
        TPMT_PUBLIC get() throws TpmException;
    }

    private interface Expectation {
        boolean test(TpmPublic key, IdentityConfig config);
    }

    private static TpmPublic ensureKey(TpmChannel channel, int handle, String role, TemplateSource template,
                                       IdentityConfig config, Expectation expected) throws TpmException {
        Optional<TPMT_PUBLIC> existing = PersistentObjects.read(channel, handle);
        if (existing.isPresent()) {
            TpmPublic key = org.stationtrust.tpm.internal.Objects.toTpmPublic(existing.get());
            if (!expected.test(key, config)) {
                throw conflict(handle, role, key);
            }
            return key;
        }
        TPMT_PUBLIC created = PersistentObjects.createChild(channel, config.storageRootHandle(), template.get(), handle);
        return org.stationtrust.tpm.internal.Objects.toTpmPublic(created);
    }

    private static boolean isAttestationKey(TpmPublic key, IdentityConfig config) {
        return key.isRestricted() && key.isSign() && !key.isDecrypt() && key.isFixedTpm() && key.isFixedParent()
                && key.isSensitiveDataOrigin();
    }

    private static boolean isMachineKey(TpmPublic key, IdentityConfig config) {
        return !key.isRestricted() && key.isSign() && !key.isDecrypt() && key.isFixedTpm() && key.isFixedParent()
                && key.isSensitiveDataOrigin() && key.type() == KeyType.ECC
                && key.parameters() instanceof TpmPublic.EccParameters ecc && ecc.curve() == EccCurve.NIST_P256;
    }

    private static TPMT_PUBLIC attestationKeyTemplate(TpmChannel channel, IdentityConfig config) throws TpmException {
        if (config.attestationKeyAlgorithm() == IdentityConfig.AttestationKeyAlgorithm.RSA_2048 || !hasP256(channel)) {
            return Templates.rsaAttestationKey();
        }
        return Templates.eccAttestationKey();
    }

    private static boolean hasP256(TpmChannel channel) throws TpmException {
        GetCapabilityResponse r = channel.call("TPM2_GetCapability", t -> t.GetCapability(TPM_CAP.ECC_CURVES, 0, 64));
        if (r.capabilityData instanceof TPML_ECC_CURVE curves && curves.eccCurves != null) {
            for (TPM_ECC_CURVE c : curves.eccCurves) {
                if (c.toInt() == TPM_ECC_CURVE.NIST_P256.toInt()) {
                    return true;
                }
            }
        }
        return false;
    }

    private static PersistentHandleConflict conflict(int handle, String role, TpmPublic found) {
        return PersistentObjects.conflict(handle, role, found.toString());
    }

    private static void requireQualifyingData(String what, byte[] data) {
        if (data == null || data.length == 0 || data.length > MAX_QUALIFYING_DATA) {
            // TPM2B_DATA holds at most sizeof(TPMT_HA): 34 bytes on a SHA-256-only TPM
            throw new IllegalArgumentException(what + " must be 1.." + MAX_QUALIFYING_DATA + " bytes, got "
                    + (data == null ? "none" : data.length));
        }
    }

    @Override
    public String toString() {
        return "MachineIdentity[" + connection.uri() + ", " + attestationKey + ", " + machineKey + "]";
    }
}
