package org.stationtrust.tpm.verify;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import org.stationtrust.tpm.verify.internal.TpmReader;
import org.stationtrust.tpm.verify.internal.VerificationKey;
import org.stationtrust.tpm.verify.internal.TpmWriter;

/**
 * A parsed TPMT_PUBLIC (TPM 2.0 Part 2 §12.2.4) of an RSA or ECC key: the public area a TPM
 * returns for a key, from which its Name and its JCA public key follow. Immutable; only a
 * structurally valid public area with a supported key can be constructed.
 */
public final class TpmPublic {
    /** Largest TPMT_PUBLIC accepted: RSA 4096 with a full policy digest fits well below this. */
    public static final int MAX_SIZE = 1024;

    // TPMA_OBJECT bits (Part 2 §8.3.2).
    public static final int FIXED_TPM = 1 << 1;
    public static final int ST_CLEAR = 1 << 2;
    public static final int FIXED_PARENT = 1 << 4;
    public static final int SENSITIVE_DATA_ORIGIN = 1 << 5;
    public static final int USER_WITH_AUTH = 1 << 6;
    public static final int ADMIN_WITH_POLICY = 1 << 7;
    public static final int NO_DA = 1 << 10;
    public static final int ENCRYPTED_DUPLICATION = 1 << 11;
    public static final int RESTRICTED = 1 << 16;
    public static final int DECRYPT = 1 << 17;
    public static final int SIGN = 1 << 18;
    public static final int X509_SIGN = 1 << 19;
    static final int RESERVED_BITS = ~(FIXED_TPM | ST_CLEAR | FIXED_PARENT | SENSITIVE_DATA_ORIGIN
            | USER_WITH_AUTH | ADMIN_WITH_POLICY | NO_DA | ENCRYPTED_DUPLICATION | RESTRICTED | DECRYPT
            | SIGN | X509_SIGN);

    /** Scheme of a key (TPMT_RSA_SCHEME / TPMT_ECC_SCHEME); NONE is TPM_ALG_NULL. */
    public enum SchemeKind {
        NONE, RSASSA, RSAPSS, RSAES, OAEP, ECDSA, ECDH
    }

    /** A key's scheme and, when the scheme has one, its hash. */
    public record Scheme(SchemeKind kind, Optional<HashAlgorithm> hash) {
        public Scheme {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(hash, "hash");
        }
    }

    /** TPMT_SYM_DEF_OBJECT: either none (TPM_ALG_NULL) or AES in CFB mode with keyBits. */
    public record Symmetric(boolean aesCfb, int keyBits) {
        public static final Symmetric NONE = new Symmetric(false, 0);

        public Symmetric {
            if (aesCfb ? keyBits != 128 && keyBits != 192 && keyBits != 256 : keyBits != 0) {
                throw new IllegalArgumentException("AES key bits must be 128, 192 or 256, got " + keyBits);
            }
        }
    }

    /** Key-type specific parameters and the public key itself (the `unique` field). */
    public sealed interface KeyParameters permits RsaParameters, EccParameters {
    }

    /** RSA: key size, public exponent (0 on the wire means 65537) and modulus. */
    public record RsaParameters(int keyBits, long exponent, BigInteger modulus) implements KeyParameters {
    }

    /** ECC: curve and public point. */
    public record EccParameters(EccCurve curve, BigInteger x, BigInteger y) implements KeyParameters {
    }

    private final KeyType type;
    private final HashAlgorithm nameAlg;
    private final int attributes;
    private final byte[] authPolicy;
    private final Symmetric symmetric;
    private final Scheme scheme;
    private final KeyParameters parameters;
    private final byte[] encoded;
    private volatile VerificationKey verificationKey;

    private TpmPublic(KeyType type, HashAlgorithm nameAlg, int attributes, byte[] authPolicy,
            Symmetric symmetric, Scheme scheme, KeyParameters parameters, byte[] encoded) {
        this.type = type;
        this.nameAlg = nameAlg;
        this.attributes = attributes;
        this.authPolicy = authPolicy;
        this.symmetric = symmetric;
        this.scheme = scheme;
        this.parameters = parameters;
        this.encoded = encoded;
    }

    /**
     * Parses a TPMT_PUBLIC (without the TPM2B_PUBLIC size prefix). Rejects truncated input,
     * oversized fields, unknown or unsupported algorithms, reserved attribute bits, keys whose
     * unique field does not fit their parameters, ECC points off the curve and trailing bytes.
     */
    public static TpmPublic parse(byte[] tpmtPublic) throws MalformedTpmStructure {
        return TpmPublicParser.parse(tpmtPublic);
    }

    static TpmPublic of(KeyType type, HashAlgorithm nameAlg, int attributes, byte[] authPolicy, Symmetric symmetric,
            Scheme scheme, KeyParameters parameters, byte[] encoded) {
        return new TpmPublic(type, nameAlg, attributes, authPolicy, symmetric, scheme, parameters, encoded);
    }

    public KeyType type() {
        return type;
    }

    public HashAlgorithm nameAlg() {
        return nameAlg;
    }

    /** TPMA_OBJECT bitfield; see the constants of this class and the is* helpers. */
    public int attributes() {
        return attributes;
    }

    public boolean hasAttributes(int mask) {
        return (attributes & mask) == mask;
    }

    public boolean isFixedTpm() {
        return hasAttributes(FIXED_TPM);
    }

    public boolean isFixedParent() {
        return hasAttributes(FIXED_PARENT);
    }

    public boolean isSensitiveDataOrigin() {
        return hasAttributes(SENSITIVE_DATA_ORIGIN);
    }

    public boolean isUserWithAuth() {
        return hasAttributes(USER_WITH_AUTH);
    }

    public boolean isAdminWithPolicy() {
        return hasAttributes(ADMIN_WITH_POLICY);
    }

    public boolean isRestricted() {
        return hasAttributes(RESTRICTED);
    }

    public boolean isDecrypt() {
        return hasAttributes(DECRYPT);
    }

    public boolean isSign() {
        return hasAttributes(SIGN);
    }

    public byte[] authPolicy() {
        return authPolicy.clone();
    }

    public Symmetric symmetric() {
        return symmetric;
    }

    public Scheme scheme() {
        return scheme;
    }

    public KeyParameters parameters() {
        return parameters;
    }

    /** The exact TPMT_PUBLIC bytes parsed (without TPM2B size prefix). */
    public byte[] encoded() {
        return encoded.clone();
    }

    /** The object's Name: nameAlg (2 bytes) || H_nameAlg(TPMT_PUBLIC) (Part 1 §16). */
    public byte[] name() {
        return new TpmWriter().u16(nameAlg.id()).bytes(nameAlg.digest(encoded)).toByteArray();
    }

    /** The key as a JCA {@code ECPublicKey} or {@code RSAPublicKey}. */
    public PublicKey toPublicKey() {
        return verificationKey().jca();
    }

    /**
     * The key prepared for signature checks, made on first use and kept: derived from the immutable encoding only
     * (as String keeps its hash), so two threads that race here build equal keys and either one may stay.
     */
    VerificationKey verificationKey() {
        VerificationKey k = verificationKey;
        if (k == null) {
            PublicKey jca = newPublicKey();
            k = parameters instanceof EccParameters ecc ? VerificationKey.ecc(ecc.curve().jcaName(), ecc.x(), ecc.y(), jca)
                    : VerificationKey.rsa(jca);
            verificationKey = k;
        }
        return k;
    }

    private PublicKey newPublicKey() {
        try {
            if (parameters instanceof RsaParameters rsa) {
                return KeyFactory.getInstance("RSA").generatePublic(
                        new RSAPublicKeySpec(rsa.modulus(), BigInteger.valueOf(rsa.exponent())));
            }
            EccParameters ecc = (EccParameters) parameters;
            return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(
                    new ECPoint(ecc.x(), ecc.y()), ecc.curve().parameterSpec()));
        } catch (GeneralSecurityException e) {
            // Parsing already checked size, exponent and curve membership, so the JDK must accept it.
            throw new IllegalStateException("the JDK refused a key that passed parsing: " + e.getMessage(), e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TpmPublic other && Arrays.equals(encoded, other.encoded);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(encoded);
    }

    @Override
    public String toString() {
        return "TpmPublic[" + type + ", nameAlg=" + nameAlg + ", attributes="
                + TpmReader.hex32(attributes & 0xffffffffL) + ", scheme=" + scheme.kind() + ", " + parameters.getClass().getSimpleName() + "]";
    }
}
