package org.stationtrust.tpm.verify;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.Arrays;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Sequence;
import org.stationtrust.tpm.verify.internal.TpmConstants;
import org.stationtrust.tpm.verify.internal.TpmWriter;

/** Builds TPM wire structures in tests, so that each parser and check can be driven field by field. */
final class TpmStructures {
    static final int AK_ATTRIBUTES = TpmPublic.FIXED_TPM | TpmPublic.FIXED_PARENT | TpmPublic.SENSITIVE_DATA_ORIGIN
            | TpmPublic.USER_WITH_AUTH | TpmPublic.RESTRICTED | TpmPublic.SIGN;
    /** TCG default EK template attributes (EK Credential Profile §2.1.5.1): 0x000300b2. */
    static final int EK_ATTRIBUTES = 0x000300b2;
    static final byte[] EK_POLICY = java.util.HexFormat.of()
            .parseHex("837197674484b3f81a90cc8d46a5d724fd52d76e06520b64f2a1da1b331469aa");

    private TpmStructures() {
    }

    static byte[] fixed(BigInteger v, int len) {
        byte[] raw = v.toByteArray();
        byte[] out = new byte[len];
        int n = Math.min(raw.length, len);
        System.arraycopy(raw, raw.length - n, out, len - n, n);
        return out;
    }

    static byte[] eccPublic(ECPublicKey key, int attributes, int scheme, boolean aes128Cfb, byte[] policy) {
        TpmWriter w = new TpmWriter().u16(TpmConstants.ALG_ECC).u16(TpmConstants.ALG_SHA256).u32(attributes & 0xffffffffL)
                .sized(policy);
        symmetric(w, aes128Cfb);
        w.u16(scheme);
        if (scheme != TpmConstants.ALG_NULL) {
            w.u16(TpmConstants.ALG_SHA256);
        }
        return w.u16(TpmConstants.CURVE_NIST_P256).u16(TpmConstants.ALG_NULL)
                .sized(fixed(key.getW().getAffineX(), 32)).sized(fixed(key.getW().getAffineY(), 32)).toByteArray();
    }

    static byte[] rsaPublic(RSAPublicKey key, int attributes, int scheme, boolean aes128Cfb, byte[] policy) {
        TpmWriter w = new TpmWriter().u16(TpmConstants.ALG_RSA).u16(TpmConstants.ALG_SHA256).u32(attributes & 0xffffffffL)
                .sized(policy);
        symmetric(w, aes128Cfb);
        w.u16(scheme);
        if (scheme != TpmConstants.ALG_NULL) {
            w.u16(TpmConstants.ALG_SHA256);
        }
        long e = key.getPublicExponent().longValueExact();
        return w.u16(key.getModulus().bitLength()).u32(e == 65537 ? 0 : e)
                .sized(fixed(key.getModulus(), key.getModulus().bitLength() / 8)).toByteArray();
    }

    private static void symmetric(TpmWriter w, boolean aes128Cfb) {
        if (aes128Cfb) {
            w.u16(TpmConstants.ALG_AES).u16(128).u16(TpmConstants.ALG_CFB);
        } else {
            w.u16(TpmConstants.ALG_NULL);
        }
    }

    /** A software stand-in for an AK: restricted ECDSA P-256 signing key. */
    record SoftwareAk(KeyPair keys, TpmPublic pub) {
        static SoftwareAk ecc(int attributes) throws Exception {
            KeyPair k = TestPki.ec();
            return new SoftwareAk(k, TpmPublic.parse(eccPublic((ECPublicKey) k.getPublic(), attributes,
                    TpmConstants.ALG_ECDSA, false, new byte[0])));
        }

        byte[] sign(byte[] data) throws Exception {
            return ecdsaSignature(keys.getPrivate(), data);
        }
    }

    static byte[] ecdsaSignature(PrivateKey key, byte[] data) throws Exception {
        Signature s = Signature.getInstance("SHA256withECDSA");
        s.initSign(key);
        s.update(data);
        ASN1Sequence seq = ASN1Sequence.getInstance(s.sign());
        BigInteger r = ASN1Integer.getInstance(seq.getObjectAt(0)).getValue();
        BigInteger sv = ASN1Integer.getInstance(seq.getObjectAt(1)).getValue();
        return new TpmWriter().u16(TpmConstants.ALG_ECDSA).u16(TpmConstants.ALG_SHA256).sized(fixed(r, 32))
                .sized(fixed(sv, 32)).toByteArray();
    }

    static byte[] rsaSignature(PrivateKey key, byte[] data, boolean pss) throws Exception {
        Signature s;
        if (pss) {
            s = Signature.getInstance("RSASSA-PSS");
            s.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
        } else {
            s = Signature.getInstance("SHA256withRSA");
        }
        s.initSign(key);
        s.update(data);
        return new TpmWriter().u16(pss ? TpmConstants.ALG_RSAPSS : TpmConstants.ALG_RSASSA).u16(TpmConstants.ALG_SHA256)
                .sized(s.sign()).toByteArray();
    }

    /** A sha256 PCR selection bitmap of 3 bytes (24 PCRs) for the given indices. */
    static byte[] selection(int... pcrs) {
        byte[] bitmap = new byte[3];
        for (int i : pcrs) {
            bitmap[i / 8] |= (byte) (1 << (i % 8));
        }
        return new TpmWriter().u32(1).u16(TpmConstants.ALG_SHA256).u8(3).bytes(bitmap).toByteArray();
    }

    static byte[] attest(long magic, int type, byte[] extraData, byte[] attested) {
        return new TpmWriter().u32(magic).u16(type).sized(Arrays.copyOf(new byte[] {0x00, 0x0b}, 34))
                .sized(extraData).u64(123456789L).u32(7).u32(3).u8(1).u64(0x2019102300160000L).bytes(attested)
                .toByteArray();
    }

    static byte[] quote(byte[] nonce, byte[] selection, byte[] pcrDigest) {
        return attest(TpmConstants.TPM_GENERATED_VALUE, TpmConstants.ST_ATTEST_QUOTE, nonce,
                new TpmWriter().bytes(selection).sized(pcrDigest).toByteArray());
    }

    static byte[] certify(byte[] extraData, byte[] name) {
        return attest(TpmConstants.TPM_GENERATED_VALUE, TpmConstants.ST_ATTEST_CERTIFY, extraData,
                new TpmWriter().sized(name).sized(name).toByteArray());
    }

    static PcrValues pcrs(int... indices) {
        java.util.Map<Integer, byte[]> m = new java.util.TreeMap<>();
        for (int i : indices) {
            byte[] v = new byte[32];
            Arrays.fill(v, (byte) (i + 1));
            m.put(i, v);
        }
        return PcrValues.sha256(m);
    }
}
