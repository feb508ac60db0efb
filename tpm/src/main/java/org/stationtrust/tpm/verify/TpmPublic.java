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
import org.stationtrust.tpm.verify.internal.TpmConstants;
import org.stationtrust.tpm.verify.internal.TpmReader;
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
    private static final int RESERVED_BITS = ~(FIXED_TPM | ST_CLEAR | FIXED_PARENT | SENSITIVE_DATA_ORIGIN
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
        TpmReader r = new TpmReader(tpmtPublic, "TPMT_PUBLIC", MAX_SIZE);
        int typeAt = r.offset();
        int typeId = r.u16("type");
        KeyType type;
        if (typeId == TpmConstants.ALG_RSA) {
            type = KeyType.RSA;
        } else if (typeId == TpmConstants.ALG_ECC) {
            type = KeyType.ECC;
        } else {
            throw r.failAt(typeAt, "type", "TPM_ALG_RSA (0x0001) or TPM_ALG_ECC (0x0023)",
                    TpmReader.hex16(typeId));
        }
        HashAlgorithm nameAlg = hash(r, "nameAlg");
        int attrAt = r.offset();
        int attributes = (int) r.u32("objectAttributes");
        if ((attributes & RESERVED_BITS) != 0) {
            throw r.failAt(attrAt, "objectAttributes", "no reserved bit set",
                    TpmReader.hex32(attributes & 0xffffffffL));
        }
        byte[] authPolicy = r.sized("authPolicy", TpmConstants.MAX_DIGEST);
        Symmetric symmetric = symmetric(r);
        KeyParameters parameters;
        Scheme scheme;
        if (type == KeyType.RSA) {
            scheme = scheme(r, "parameters.rsaDetail.scheme");
            parameters = rsa(r);
        } else {
            scheme = scheme(r, "parameters.eccDetail.scheme");
            parameters = ecc(r);
        }
        r.expectEnd();
        if (scheme.kind() != SchemeKind.NONE && isRsaScheme(scheme.kind()) != (type == KeyType.RSA)) {
            throw new MalformedTpmStructure("TPMT_PUBLIC: scheme " + scheme.kind() + " does not fit a "
                    + type + " key; the public area is inconsistent");
        }
        return new TpmPublic(type, nameAlg, attributes, authPolicy, symmetric, scheme, parameters,
                tpmtPublic.clone());
    }

    private static boolean isRsaScheme(SchemeKind kind) {
        return kind == SchemeKind.RSASSA || kind == SchemeKind.RSAPSS || kind == SchemeKind.RSAES
                || kind == SchemeKind.OAEP;
    }

    static HashAlgorithm hash(TpmReader r, String field) throws MalformedTpmStructure {
        int at = r.offset();
        int id = r.u16(field);
        Optional<HashAlgorithm> hash = HashAlgorithm.fromId(id);
        if (hash.isEmpty()) {
            throw r.failAt(at, field, "a hash algorithm (SHA-1 0x0004, SHA-256 0x000b, SHA-384 0x000c,"
                    + " SHA-512 0x000d)", TpmReader.hex16(id));
        }
        return hash.get();
    }

    private static Symmetric symmetric(TpmReader r) throws MalformedTpmStructure {
        int at = r.offset();
        int alg = r.u16("parameters.symmetric.algorithm");
        if (alg == TpmConstants.ALG_NULL) {
            return Symmetric.NONE;
        }
        if (alg != TpmConstants.ALG_AES) {
            throw r.failAt(at, "parameters.symmetric.algorithm", "TPM_ALG_NULL or TPM_ALG_AES (0x0006)",
                    TpmReader.hex16(alg));
        }
        int bitsAt = r.offset();
        int keyBits = r.u16("parameters.symmetric.keyBits");
        if (keyBits != 128 && keyBits != 192 && keyBits != 256) {
            throw r.failAt(bitsAt, "parameters.symmetric.keyBits", "128, 192 or 256", String.valueOf(keyBits));
        }
        int modeAt = r.offset();
        int mode = r.u16("parameters.symmetric.mode");
        if (mode != TpmConstants.ALG_CFB) {
            throw r.failAt(modeAt, "parameters.symmetric.mode", "TPM_ALG_CFB (0x0043), the only mode a"
                    + " storage key may use", TpmReader.hex16(mode));
        }
        return new Symmetric(true, keyBits);
    }

    private static Scheme scheme(TpmReader r, String field) throws MalformedTpmStructure {
        int at = r.offset();
        int id = r.u16(field);
        SchemeKind kind = switch (id) {
            case TpmConstants.ALG_NULL -> SchemeKind.NONE;
            case TpmConstants.ALG_RSASSA -> SchemeKind.RSASSA;
            case TpmConstants.ALG_RSAPSS -> SchemeKind.RSAPSS;
            case TpmConstants.ALG_RSAES -> SchemeKind.RSAES;
            case TpmConstants.ALG_OAEP -> SchemeKind.OAEP;
            case TpmConstants.ALG_ECDSA -> SchemeKind.ECDSA;
            case TpmConstants.ALG_ECDH -> SchemeKind.ECDH;
            default -> throw r.failAt(at, field, "TPM_ALG_NULL, RSASSA, RSAPSS, RSAES, OAEP, ECDSA or ECDH",
                    TpmReader.hex16(id));
        };
        // TPMU_ASYM_SCHEME: NULL and RSAES carry no details, the others a hash (Part 2 §11.2.3).
        if (kind == SchemeKind.NONE || kind == SchemeKind.RSAES) {
            return new Scheme(kind, Optional.empty());
        }
        return new Scheme(kind, Optional.of(hash(r, field + ".hashAlg")));
    }

    private static RsaParameters rsa(TpmReader r) throws MalformedTpmStructure {
        int bitsAt = r.offset();
        int keyBits = r.u16("parameters.rsaDetail.keyBits");
        if (keyBits != 2048 && keyBits != 3072 && keyBits != 4096) {
            throw r.failAt(bitsAt, "parameters.rsaDetail.keyBits", "2048, 3072 or 4096", String.valueOf(keyBits));
        }
        int expAt = r.offset();
        long exponent = r.u32("parameters.rsaDetail.exponent");
        if (exponent == 0) {
            exponent = 65537;
        } else if (exponent < 3 || exponent % 2 == 0) {
            throw r.failAt(expAt, "parameters.rsaDetail.exponent", "0 (meaning 65537) or an odd value >= 3",
                    String.valueOf(exponent));
        }
        int modAt = r.offset();
        byte[] modulus = r.sized("unique.rsa", TpmConstants.MAX_RSA_BYTES);
        if (modulus.length != keyBits / 8 || (modulus[0] & 0x80) == 0) {
            throw r.failAt(modAt, "unique.rsa", "a " + keyBits + "-bit modulus (" + keyBits / 8
                    + " bytes, top bit set)", modulus.length + " bytes");
        }
        return new RsaParameters(keyBits, exponent, new BigInteger(1, modulus));
    }

    private static EccParameters ecc(TpmReader r) throws MalformedTpmStructure {
        int curveAt = r.offset();
        int curveId = r.u16("parameters.eccDetail.curveID");
        EccCurve curve = EccCurve.fromId(curveId).orElseThrow(() -> r.failAt(curveAt,
                "parameters.eccDetail.curveID", "NIST P-256 (0x0003), P-384 (0x0004) or P-521 (0x0005)",
                TpmReader.hex16(curveId)));
        int kdfAt = r.offset();
        int kdf = r.u16("parameters.eccDetail.kdf.scheme");
        if (kdf != TpmConstants.ALG_NULL) {
            throw r.failAt(kdfAt, "parameters.eccDetail.kdf.scheme", "TPM_ALG_NULL (0x0010)", TpmReader.hex16(kdf));
        }
        int pointAt = r.offset();
        byte[] x = r.sized("unique.ecc.x", TpmConstants.MAX_ECC_BYTES);
        byte[] y = r.sized("unique.ecc.y", TpmConstants.MAX_ECC_BYTES);
        int n = curve.coordinateLength();
        if (x.length == 0 || y.length == 0 || x.length > n || y.length > n) {
            throw r.failAt(pointAt, "unique.ecc", "coordinates of 1.." + n + " bytes for " + curve.displayName(),
                    x.length + " and " + y.length + " bytes");
        }
        BigInteger bx = new BigInteger(1, x);
        BigInteger by = new BigInteger(1, y);
        if (!curve.contains(bx, by)) {
            throw r.failAt(pointAt, "unique.ecc", "a point on " + curve.displayName(), "a point off the curve");
        }
        return new EccParameters(curve, bx, by);
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
        return "TpmPublic[" + type + ", nameAlg=" + nameAlg + ", attributes=" + TpmReader.hex32(attributes & 0xffffffffL)
                + ", scheme=" + scheme.kind() + ", " + parameters.getClass().getSimpleName() + "]";
    }
}
