package org.stationtrust.tpm.internal;

import java.util.HexFormat;

import tss.tpm.TPM2B_DIGEST_KEYEDHASH;
import tss.tpm.TPM2B_PUBLIC_KEY_RSA;
import tss.tpm.TPMA_OBJECT;
import tss.tpm.TPMS_ECC_PARMS;
import tss.tpm.TPMS_ECC_POINT;
import tss.tpm.TPMS_KEYEDHASH_PARMS;
import tss.tpm.TPMS_NULL_ASYM_SCHEME;
import tss.tpm.TPMS_NULL_KDF_SCHEME;
import tss.tpm.TPMS_NULL_SCHEME_KEYEDHASH;
import tss.tpm.TPMS_RSA_PARMS;
import tss.tpm.TPMS_SIG_SCHEME_ECDSA;
import tss.tpm.TPMS_SIG_SCHEME_RSASSA;
import tss.tpm.TPMT_PUBLIC;
import tss.tpm.TPMT_SYM_DEF_OBJECT;
import tss.tpm.TPM_ALG_ID;
import tss.tpm.TPM_ECC_CURVE;

/** The public-area templates this module creates keys from. */
public final class Templates {
    /** TCG EK Credential Profile 2.3 §B.3.3: PolicySecret(TPM_RH_ENDORSEMENT), SHA-256. */
    static final byte[] POLICY_A_SHA256 = HexFormat.of().parseHex(
            "837197674484b3f81a90cc8d46a5d724fd52d76e06520b64f2a1da1b331469aa");
    /** TCG EK Credential Profile 2.3 §B.4: PolicyOR(PolicyA, PolicyC), SHA-384. */
    static final byte[] POLICY_B_SHA384 = HexFormat.of().parseHex(
            "b26e7d28d11a50bc53d882bcf5fd3a1a074148bb35d3b4e4cb1c0ad9bde419cacb47ba09699646150f9fc000f3f80e12");

    private static final int FIXED_TPM = 0x2;
    private static final int FIXED_PARENT = 0x10;
    private static final int SENSITIVE_DATA_ORIGIN = 0x20;
    private static final int USER_WITH_AUTH = 0x40;
    private static final int ADMIN_WITH_POLICY = 0x80;
    private static final int NO_DA = 0x400;
    private static final int RESTRICTED = 0x10000;
    private static final int DECRYPT = 0x20000;
    private static final int SIGN = 0x40000;

    private static final int EK_LOW_RANGE = FIXED_TPM | FIXED_PARENT | SENSITIVE_DATA_ORIGIN | ADMIN_WITH_POLICY
            | RESTRICTED | DECRYPT;
    private static final int EK_HIGH_RANGE = EK_LOW_RANGE | USER_WITH_AUTH;
    private static final int KEY = FIXED_TPM | FIXED_PARENT | SENSITIVE_DATA_ORIGIN | USER_WITH_AUTH;

    private Templates() {
    }

    /** TCG default EK template L-1: RSA 2048, AES-128-CFB, 256-byte zero unique (cert at NV 0x01C00002). */
    public static TPMT_PUBLIC rsa2048EndorsementKey() {
        return new TPMT_PUBLIC(TPM_ALG_ID.SHA256, new TPMA_OBJECT(EK_LOW_RANGE), POLICY_A_SHA256.clone(),
                new TPMS_RSA_PARMS(aes(128), new TPMS_NULL_ASYM_SCHEME(), 2048, 0),
                new TPM2B_PUBLIC_KEY_RSA(new byte[256]));
    }

    /** TCG default EK template L-2: ECC NIST P-256, AES-128-CFB, 32-byte zero x and y (cert at NV 0x01C0000A). */
    public static TPMT_PUBLIC eccP256EndorsementKey() {
        return new TPMT_PUBLIC(TPM_ALG_ID.SHA256, new TPMA_OBJECT(EK_LOW_RANGE), POLICY_A_SHA256.clone(),
                new TPMS_ECC_PARMS(aes(128), new TPMS_NULL_ASYM_SCHEME(), TPM_ECC_CURVE.NIST_P256, new TPMS_NULL_KDF_SCHEME()),
                new TPMS_ECC_POINT(new byte[32], new byte[32]));
    }

    /** TCG EK template H-3: ECC NIST P-384, SHA-384, AES-256-CFB, empty unique (cert at NV 0x01C00016). */
    public static TPMT_PUBLIC eccP384EndorsementKey() {
        return new TPMT_PUBLIC(TPM_ALG_ID.SHA384, new TPMA_OBJECT(EK_HIGH_RANGE), POLICY_B_SHA384.clone(),
                new TPMS_ECC_PARMS(aes(256), new TPMS_NULL_ASYM_SCHEME(), TPM_ECC_CURVE.NIST_P384, new TPMS_NULL_KDF_SCHEME()),
                new TPMS_ECC_POINT(new byte[0], new byte[0]));
    }

    /**
     * The storage root key: the TCG "SRK" template (TCG Provisioning Guidance §7.5.1): ECC P-256
     * restricted decryption key, AES-128-CFB, noDA, zero unique; deterministic from the owner seed.
     */
    public static TPMT_PUBLIC storageRootKey() {
        int attributes = FIXED_TPM | FIXED_PARENT | SENSITIVE_DATA_ORIGIN | USER_WITH_AUTH | NO_DA | RESTRICTED | DECRYPT;
        return new TPMT_PUBLIC(TPM_ALG_ID.SHA256, new TPMA_OBJECT(attributes), new byte[0],
                new TPMS_ECC_PARMS(aes(128), new TPMS_NULL_ASYM_SCHEME(), TPM_ECC_CURVE.NIST_P256, new TPMS_NULL_KDF_SCHEME()),
                new TPMS_ECC_POINT(new byte[32], new byte[32]));
    }

    /** Attestation key: restricted ECDSA-SHA256 signing key on NIST P-256. */
    public static TPMT_PUBLIC eccAttestationKey() {
        return new TPMT_PUBLIC(TPM_ALG_ID.SHA256, new TPMA_OBJECT(KEY | RESTRICTED | SIGN), new byte[0],
                new TPMS_ECC_PARMS(TPMT_SYM_DEF_OBJECT.nullObject(), new TPMS_SIG_SCHEME_ECDSA(TPM_ALG_ID.SHA256),
                        TPM_ECC_CURVE.NIST_P256, new TPMS_NULL_KDF_SCHEME()),
                new TPMS_ECC_POINT(new byte[0], new byte[0]));
    }

    /** Attestation key fallback for TPMs without ECC: restricted RSASSA-SHA256 signing key, RSA 2048. */
    public static TPMT_PUBLIC rsaAttestationKey() {
        return new TPMT_PUBLIC(TPM_ALG_ID.SHA256, new TPMA_OBJECT(KEY | RESTRICTED | SIGN), new byte[0],
                new TPMS_RSA_PARMS(TPMT_SYM_DEF_OBJECT.nullObject(), new TPMS_SIG_SCHEME_RSASSA(TPM_ALG_ID.SHA256), 2048, 0),
                new TPM2B_PUBLIC_KEY_RSA(new byte[0]));
    }

    /**
     * The machine signing key: non-restricted ECDSA-SHA256 on NIST P-256, so it can sign any digest
     * (JWS, packets); fixedTPM and fixedParent make it non-duplicable.
     */
    public static TPMT_PUBLIC machineSigningKey() {
        return new TPMT_PUBLIC(TPM_ALG_ID.SHA256, new TPMA_OBJECT(KEY | SIGN), new byte[0],
                new TPMS_ECC_PARMS(TPMT_SYM_DEF_OBJECT.nullObject(), new TPMS_SIG_SCHEME_ECDSA(TPM_ALG_ID.SHA256),
                        TPM_ECC_CURVE.NIST_P256, new TPMS_NULL_KDF_SCHEME()),
                new TPMS_ECC_POINT(new byte[0], new byte[0]));
    }

    /**
     * A sealed data object (keyed-hash, no scheme) holding caller data. Without a policy it opens with
     * the (empty) user auth; with a policy only through a policy session (userWithAuth clear).
     */
    public static TPMT_PUBLIC sealedData(byte[] authPolicy) {
        int attributes = FIXED_TPM | FIXED_PARENT | NO_DA | (authPolicy.length == 0 ? USER_WITH_AUTH : 0);
        return new TPMT_PUBLIC(TPM_ALG_ID.SHA256, new TPMA_OBJECT(attributes), authPolicy.clone(),
                new TPMS_KEYEDHASH_PARMS(new TPMS_NULL_SCHEME_KEYEDHASH()), new TPM2B_DIGEST_KEYEDHASH(new byte[0]));
    }

    private static TPMT_SYM_DEF_OBJECT aes(int bits) {
        return new TPMT_SYM_DEF_OBJECT(TPM_ALG_ID.AES, bits, TPM_ALG_ID.CFB);
    }
}
