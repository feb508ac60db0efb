package org.stationtrust.tpm.verify.internal;

import java.math.BigInteger;
import java.security.PublicKey;
import java.util.Objects;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;

/**
 * A public key made ready for repeated signature checks. For ECC the point lives on BouncyCastle's
 * optimised curve (CustomNamedCurves) and keeps the multiples of itself that the first check
 * precomputes, so every later check of the same key skips that work; this, not the ECDSA arithmetic,
 * made a quote check about four times the cost of an ES256 check with a prepared key. For RSA it is
 * the JCA key, converted once.
 */
public final class VerificationKey {
    private final ECPublicKeyParameters ecc;
    private final PublicKey jca;

    private VerificationKey(ECPublicKeyParameters ecc, PublicKey jca) {
        this.ecc = ecc;
        this.jca = jca;
    }

    /** An ECC key on the named curve; the caller has already checked the point is on it. */
    public static VerificationKey ecc(String curveName, BigInteger x, BigInteger y, PublicKey jca) {
        X9ECParameters p = CustomNamedCurves.getByName(curveName);
        if (p == null) throw new IllegalArgumentException("no optimised curve named " + curveName);
        ECDomainParameters domain = new ECDomainParameters(p.getCurve(), p.getG(), p.getN(), p.getH());
        return new VerificationKey(new ECPublicKeyParameters(p.getCurve().validatePoint(x, y), domain),
                Objects.requireNonNull(jca, "jca"));
    }

    public static VerificationKey rsa(PublicKey jca) {
        return new VerificationKey(null, Objects.requireNonNull(jca, "jca"));
    }

    public boolean isEcc() {
        return ecc != null;
    }

    /** The JCA form of the key (ECPublicKey or RSAPublicKey). */
    public PublicKey jca() {
        return jca;
    }

    /**
     * True when (r, s) is an ECDSA signature of this key over the given message digest (X9.62: the digest is
     * truncated to the bit length of the group order). r or s outside [1, n-1] never verifies.
     */
    public boolean verifyEcdsa(byte[] digest, BigInteger r, BigInteger s) {
        if (ecc == null) throw new IllegalStateException("not an ECC key");
        ECDSASigner verifier = new ECDSASigner();
        verifier.init(false, ecc);
        return verifier.verifySignature(digest, r, s);
    }
}
