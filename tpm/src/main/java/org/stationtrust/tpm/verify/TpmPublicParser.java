package org.stationtrust.tpm.verify;

import java.math.BigInteger;
import java.util.Optional;
import org.stationtrust.tpm.verify.internal.TpmConstants;
import org.stationtrust.tpm.verify.internal.TpmReader;

/** Reads a TPMT_PUBLIC field by field (TPM 2.0 Part 2 §12.2.4), checking each against its bounds. */
final class TpmPublicParser {
    private TpmPublicParser() {
    }

    static TpmPublic parse(byte[] tpmtPublic) throws MalformedTpmStructure {
        TpmReader r = new TpmReader(tpmtPublic, "TPMT_PUBLIC", TpmPublic.MAX_SIZE);
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
        if ((attributes & TpmPublic.RESERVED_BITS) != 0) {
            throw r.failAt(attrAt, "objectAttributes", "no reserved bit set",
                    TpmReader.hex32(attributes & 0xffffffffL));
        }
        byte[] authPolicy = r.sized("authPolicy", TpmConstants.MAX_DIGEST);
        TpmPublic.Symmetric symmetric = symmetric(r);
        TpmPublic.KeyParameters parameters;
        TpmPublic.Scheme scheme;
        if (type == KeyType.RSA) {
            scheme = scheme(r, "parameters.rsaDetail.scheme");
            parameters = rsa(r);
        } else {
            scheme = scheme(r, "parameters.eccDetail.scheme");
            parameters = ecc(r);
        }
        r.expectEnd();
        if (scheme.kind() != TpmPublic.SchemeKind.NONE && isRsaScheme(scheme.kind()) != (type == KeyType.RSA)) {
            throw new MalformedTpmStructure("TPMT_PUBLIC: scheme " + scheme.kind() + " does not fit a "
                    + type + " key; the public area is inconsistent");
        }
        return TpmPublic.of(type, nameAlg, attributes, authPolicy, symmetric, scheme, parameters,
                tpmtPublic.clone());
    }

    private static boolean isRsaScheme(TpmPublic.SchemeKind kind) {
        return switch (kind) {
            case RSASSA, RSAPSS, RSAES, OAEP -> true;
            default -> false;
        };
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

    private static TpmPublic.Symmetric symmetric(TpmReader r) throws MalformedTpmStructure {
        int at = r.offset();
        int alg = r.u16("parameters.symmetric.algorithm");
        if (alg == TpmConstants.ALG_NULL) {
            return TpmPublic.Symmetric.NONE;
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
        return new TpmPublic.Symmetric(true, keyBits);
    }

    private static TpmPublic.Scheme scheme(TpmReader r, String field) throws MalformedTpmStructure {
        int at = r.offset();
        int id = r.u16(field);
        TpmPublic.SchemeKind kind = switch (id) {
            case TpmConstants.ALG_NULL -> TpmPublic.SchemeKind.NONE;
            case TpmConstants.ALG_RSASSA -> TpmPublic.SchemeKind.RSASSA;
            case TpmConstants.ALG_RSAPSS -> TpmPublic.SchemeKind.RSAPSS;
            case TpmConstants.ALG_RSAES -> TpmPublic.SchemeKind.RSAES;
            case TpmConstants.ALG_OAEP -> TpmPublic.SchemeKind.OAEP;
            case TpmConstants.ALG_ECDSA -> TpmPublic.SchemeKind.ECDSA;
            case TpmConstants.ALG_ECDH -> TpmPublic.SchemeKind.ECDH;
            default -> throw r.failAt(at, field, "TPM_ALG_NULL, RSASSA, RSAPSS, RSAES, OAEP, ECDSA or ECDH",
                    TpmReader.hex16(id));
        };
        // TPMU_ASYM_SCHEME: NULL and RSAES carry no details, the others a hash (Part 2 §11.2.3).
        if (kind == TpmPublic.SchemeKind.NONE || kind == TpmPublic.SchemeKind.RSAES) {
            return new TpmPublic.Scheme(kind, Optional.empty());
        }
        return new TpmPublic.Scheme(kind, Optional.of(hash(r, field + ".hashAlg")));
    }

    private static TpmPublic.RsaParameters rsa(TpmReader r) throws MalformedTpmStructure {
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
        return new TpmPublic.RsaParameters(keyBits, exponent, new BigInteger(1, modulus));
    }

    private static TpmPublic.EccParameters ecc(TpmReader r) throws MalformedTpmStructure {
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
        return new TpmPublic.EccParameters(curve, bx, by);
    }
}
