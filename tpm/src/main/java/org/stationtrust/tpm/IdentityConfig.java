package org.stationtrust.tpm;

/**
 * Where the machine identity lives in the TPM: the persistent handles of the storage root key, the
 * attestation key and the machine signing key (owner range 0x81000000-0x817FFFFF), and the AK
 * algorithm (ECC P-256 unless the TPM lacks it, or RSA 2048 when asked for).
 */
public record IdentityConfig(int storageRootHandle, int attestationKeyHandle, int machineKeyHandle,
                             AttestationKeyAlgorithm attestationKeyAlgorithm) {
    /** TCG Provisioning Guidance puts the storage root key at 0x81000001. */
    public static final int DEFAULT_STORAGE_ROOT = 0x81000001;
    public static final int DEFAULT_ATTESTATION_KEY = 0x81000002;
    public static final int DEFAULT_MACHINE_KEY = 0x81000003;

    public enum AttestationKeyAlgorithm {
        /** Restricted ECDSA P-256; falls back to RSA 2048 when the TPM has no P-256. */
        ECC_P256,
        /** Restricted RSASSA 2048. */
        RSA_2048
    }

    public IdentityConfig {
        requireOwnerPersistent("storageRootHandle", storageRootHandle);
        requireOwnerPersistent("attestationKeyHandle", attestationKeyHandle);
        requireOwnerPersistent("machineKeyHandle", machineKeyHandle);
        if (storageRootHandle == attestationKeyHandle || storageRootHandle == machineKeyHandle
                || attestationKeyHandle == machineKeyHandle) {
            throw new IllegalArgumentException(String.format("the three persistent handles must differ, got "
                    + "0x%08X, 0x%08X, 0x%08X", storageRootHandle, attestationKeyHandle, machineKeyHandle));
        }
        if (attestationKeyAlgorithm == null) {
            throw new IllegalArgumentException("attestationKeyAlgorithm is missing: use ECC_P256 or RSA_2048");
        }
    }

    public static IdentityConfig defaults() {
        return new IdentityConfig(DEFAULT_STORAGE_ROOT, DEFAULT_ATTESTATION_KEY, DEFAULT_MACHINE_KEY,
                AttestationKeyAlgorithm.ECC_P256);
    }

    public IdentityConfig withHandles(int storageRoot, int attestationKey, int machineKey) {
        return new IdentityConfig(storageRoot, attestationKey, machineKey, attestationKeyAlgorithm);
    }

    public IdentityConfig withAttestationKeyAlgorithm(AttestationKeyAlgorithm algorithm) {
        return new IdentityConfig(storageRootHandle, attestationKeyHandle, machineKeyHandle, algorithm);
    }

    private static void requireOwnerPersistent(String name, int handle) {
        // 0x81010000-0x8101FFFF is the endorsement range (EKs), 0x81800000+ the platform's
        boolean owner = handle >= 0x81000000 && handle <= 0x817FFFFF && !(handle >= 0x81010000 && handle <= 0x8101FFFF);
        if (!owner) {
            throw new IllegalArgumentException(String.format("%s 0x%08X is not an owner persistent handle: use "
                    + "0x81000000-0x8100FFFF or 0x81020000-0x817FFFFF", name, handle));
        }
    }
}
