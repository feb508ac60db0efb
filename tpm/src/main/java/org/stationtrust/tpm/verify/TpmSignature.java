package org.stationtrust.tpm.verify;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.Arrays;
import java.util.Objects;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.stationtrust.tpm.verify.internal.TpmConstants;
import org.stationtrust.tpm.verify.internal.TpmReader;
import org.stationtrust.tpm.verify.internal.VerificationKey;

/**
 * A parsed TPMT_SIGNATURE (TPM 2.0 Part 2 §11.3.4): ECDSA (r, s), RSASSA-PKCS1-v1_5 or RSA-PSS.
 * Verification uses java.security only: ECDSA through BouncyCastle's JCA provider (a private
 * instance, not registered globally), which verifies P-256 several times faster than SunEC on Java 17
 * and so bounds the server's attestation rate less; RSA through the JDK's providers.
 */
public final class TpmSignature {
    private static final Provider ECDSA_PROVIDER = new BouncyCastleProvider();
    public static final int MAX_SIZE = 2 + 2 + 2 + TpmConstants.MAX_RSA_BYTES;

    /** The signature algorithms accepted (TPMI_ALG_SIG_SCHEME); others are rejected at parse. */
    public enum Algorithm {
        ECDSA, RSASSA, RSAPSS
    }

    private final Algorithm algorithm;
    private final HashAlgorithm hash;
    private final byte[] r;
    private final byte[] s;
    private final byte[] rsaSignature;
    private final byte[] encoded;

    private TpmSignature(Algorithm algorithm, HashAlgorithm hash, byte[] r, byte[] s, byte[] rsaSignature,
            byte[] encoded) {
        this.algorithm = algorithm;
        this.hash = hash;
        this.r = r;
        this.s = s;
        this.rsaSignature = rsaSignature;
        this.encoded = encoded;
    }

    /** Parses a TPMT_SIGNATURE; rejects TPM_ALG_NULL, unknown schemes, bad sizes and trailing bytes. */
    public static TpmSignature parse(byte[] tpmtSignature) throws MalformedTpmStructure {
        TpmReader rd = new TpmReader(tpmtSignature, "TPMT_SIGNATURE", MAX_SIZE);
        int algAt = rd.offset();
        int alg = rd.u16("sigAlg");
        Algorithm algorithm = switch (alg) {
            case TpmConstants.ALG_ECDSA -> Algorithm.ECDSA;
            case TpmConstants.ALG_RSASSA -> Algorithm.RSASSA;
            case TpmConstants.ALG_RSAPSS -> Algorithm.RSAPSS;
            default -> throw rd.failAt(algAt, "sigAlg", "TPM_ALG_ECDSA (0x0018), RSASSA (0x0014) or RSAPSS"
                    + " (0x0016)", TpmReader.hex16(alg) + (alg == TpmConstants.ALG_NULL ? " (unsigned)" : ""));
        };
        HashAlgorithm hash = TpmPublicParser.hash(rd, "signature.hash");
        TpmSignature sig;
        if (algorithm == Algorithm.ECDSA) {
            byte[] r = nonEmpty(rd, "signature.signatureR", TpmConstants.MAX_ECC_BYTES);
            byte[] s = nonEmpty(rd, "signature.signatureS", TpmConstants.MAX_ECC_BYTES);
            sig = new TpmSignature(algorithm, hash, r, s, null, tpmtSignature.clone());
        } else {
            byte[] rsa = nonEmpty(rd, "signature.sig", TpmConstants.MAX_RSA_BYTES);
            sig = new TpmSignature(algorithm, hash, null, null, rsa, tpmtSignature.clone());
        }
        rd.expectEnd();
        return sig;
    }

    private static byte[] nonEmpty(TpmReader rd, String field, int max) throws MalformedTpmStructure {
        int at = rd.offset();
        byte[] v = rd.sized(field, max);
        if (v.length == 0) {
            throw rd.failAt(at, field, "a non-empty value", "an empty one");
        }
        return v;
    }

    public Algorithm algorithm() {
        return algorithm;
    }

    public HashAlgorithm hash() {
        return hash;
    }

    public byte[] encoded() {
        return encoded.clone();
    }

    /** ECDSA signature as DER SEQUENCE { r INTEGER, s INTEGER }, as JCA expects it. */
    public byte[] toDer() {
        requireEcdsa();
        try {
            return new DERSequence(new ASN1Integer[] {
                new ASN1Integer(new BigInteger(1, r)), new ASN1Integer(new BigInteger(1, s))}).getEncoded();
        } catch (IOException e) {
            throw new IllegalStateException("DER encoding of two integers failed", e);
        }
    }

    /**
     * ECDSA signature as JOSE r||s (RFC 7518 §3.4), each half padded to the curve size the TPM used
     * (the TPM pads r and s to the coordinate length: 32 bytes for P-256, so 64 bytes in all).
     */
    public byte[] toJose() {
        requireEcdsa();
        int len = Math.max(r.length, s.length);
        int half = len <= 32 ? 32 : len <= 48 ? 48 : 66;
        byte[] out = new byte[2 * half];
        copyRight(r, out, 0, half);
        copyRight(s, out, half, half);
        return out;
    }

    private static void copyRight(byte[] v, byte[] out, int start, int half) {
        int skip = 0;
        while (v.length - skip > half && v[skip] == 0) {
            skip++;
        }
        System.arraycopy(v, skip, out, start + half - (v.length - skip), v.length - skip);
    }

    /** RSA signature bytes (RSASSA or RSAPSS). */
    public byte[] rsaSignature() {
        if (rsaSignature == null) {
            throw new IllegalStateException("an " + algorithm + " signature has no RSA signature bytes");
        }
        return rsaSignature.clone();
    }

    private void requireEcdsa() {
        if (algorithm != Algorithm.ECDSA) {
            throw new IllegalStateException("only an ECDSA signature has r and s; this one is " + algorithm);
        }
    }

    /**
     * True when this signature over signedData verifies with the TPM key. The key's prepared form is kept with
     * it, so checking many signatures of one key (a machine's AK) does the key's conversion and precomputation
     * once. A key of the wrong type gives false.
     */
    public boolean verify(TpmPublic key, byte[] signedData) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(signedData, "signedData");
        VerificationKey k = key.verificationKey();
        if (algorithm != Algorithm.ECDSA) return verify(k.jca(), signedData);
        if (!k.isEcc()) return false;
        try {
            return k.verifyEcdsa(hash.digest(signedData), new BigInteger(1, r), new BigInteger(1, s));
        } catch (RuntimeException e) {
            // An r or s the arithmetic cannot take is a failed verification, not a crash.
            return false;
        }
    }

    /**
     * True when this signature over signedData verifies with key through java.security. A key of the
     * wrong type, or a signature the provider cannot decode, gives false.
     */
    public boolean verify(PublicKey key, byte[] signedData) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(signedData, "signedData");
        try {
            switch (algorithm) {
                case ECDSA:
                    return key instanceof ECPublicKey && check(hash.compactName() + "withECDSA", ECDSA_PROVIDER,
                            null, key, signedData, toDer());
                case RSASSA:
                    return key instanceof RSAPublicKey && check(hash.compactName() + "withRSA", null, null, key,
                            signedData, rsaSignature);
                default:
                    return key instanceof RSAPublicKey rsa && verifyPss(rsa, signedData);
            }
        } catch (GeneralSecurityException | RuntimeException e) {
            // A malformed r/s or a size the provider rejects is a failed verification, not a crash.
            return false;
        }
    }

    private boolean verifyPss(RSAPublicKey key, byte[] signedData) throws GeneralSecurityException {
        // The TPM reference implementation uses salt = min(hLen, k - hLen - 2); older ones the maximum.
        int k = (key.getModulus().bitLength() + 7) / 8;
        int hLen = hash.digestLength();
        for (int salt : new int[] {Math.min(hLen, k - hLen - 2), k - hLen - 2}) {
            PSSParameterSpec spec = new PSSParameterSpec(hash.jcaName(), "MGF1",
                    new MGF1ParameterSpec(hash.jcaName()), salt, 1);
            if (check("RSASSA-PSS", null, spec, key, signedData, rsaSignature)) {
                return true;
            }
        }
        return false;
    }

    private static boolean check(String alg, Provider provider, PSSParameterSpec spec, PublicKey key, byte[] data,
            byte[] sig) throws GeneralSecurityException {
        Signature v = provider == null ? Signature.getInstance(alg) : Signature.getInstance(alg, provider);
        if (spec != null) {
            v.setParameter(spec);
        }
        v.initVerify(key);
        v.update(data);
        return v.verify(sig);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TpmSignature other && Arrays.equals(encoded, other.encoded);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(encoded);
    }

    @Override
    public String toString() {
        return "TpmSignature[" + algorithm + ", " + hash + "]";
    }
}
