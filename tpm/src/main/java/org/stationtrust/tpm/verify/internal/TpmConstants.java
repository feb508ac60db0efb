package org.stationtrust.tpm.verify.internal;

/** Identifiers from TPM 2.0 Part 2 (TPM_ALG_ID §6.3, TPM_ECC_CURVE §6.4, TPM_ST §6.9). */
public final class TpmConstants {
    public static final int ALG_RSA = 0x0001;
    public static final int ALG_SHA1 = 0x0004;
    public static final int ALG_AES = 0x0006;
    public static final int ALG_SHA256 = 0x000B;
    public static final int ALG_SHA384 = 0x000C;
    public static final int ALG_SHA512 = 0x000D;
    public static final int ALG_NULL = 0x0010;
    public static final int ALG_RSASSA = 0x0014;
    public static final int ALG_RSAES = 0x0015;
    public static final int ALG_RSAPSS = 0x0016;
    public static final int ALG_OAEP = 0x0017;
    public static final int ALG_ECDSA = 0x0018;
    public static final int ALG_ECDH = 0x0019;
    public static final int ALG_ECC = 0x0023;
    public static final int ALG_CFB = 0x0043;

    public static final int CURVE_NIST_P256 = 0x0003;
    public static final int CURVE_NIST_P384 = 0x0004;
    public static final int CURVE_NIST_P521 = 0x0005;

    public static final long TPM_GENERATED_VALUE = 0xff544347L;
    public static final int ST_ATTEST_NV = 0x8014;
    public static final int ST_ATTEST_COMMAND_AUDIT = 0x8015;
    public static final int ST_ATTEST_SESSION_AUDIT = 0x8016;
    public static final int ST_ATTEST_CERTIFY = 0x8017;
    public static final int ST_ATTEST_QUOTE = 0x8018;
    public static final int ST_ATTEST_TIME = 0x8019;
    public static final int ST_ATTEST_CREATION = 0x801A;
    public static final int ST_ATTEST_NV_DIGEST = 0x801C;

    /** Bounds from the reference implementation's limits (MAX_DIGEST_BUFFER etc.), with margin. */
    public static final int MAX_DIGEST = 64;
    public static final int MAX_NAME = 2 + MAX_DIGEST;
    public static final int MAX_RSA_BYTES = 512;
    public static final int MAX_ECC_BYTES = 66;
    public static final int MAX_PCR_SELECT = 32;
    public static final int MAX_PCR_BANKS = 16;

    private TpmConstants() {
    }
}
