package org.stationtrust.tpm.verify;

import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.util.Arrays;
import java.util.Optional;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.stationtrust.tpm.verify.internal.TpmConstants;

/** The NIST curves a TPM key may use here (TPM_ECC_CURVE); BN and SM2 curves are rejected. */
public enum EccCurve {
    NIST_P256(TpmConstants.CURVE_NIST_P256, "secp256r1", "P-256", 32),
    NIST_P384(TpmConstants.CURVE_NIST_P384, "secp384r1", "P-384", 48),
    NIST_P521(TpmConstants.CURVE_NIST_P521, "secp521r1", "P-521", 66);

    private final int id;
    private final String jcaName;
    private final String displayName;
    private final int coordinateLength;

    EccCurve(int id, String jcaName, String displayName, int coordinateLength) {
        this.id = id;
        this.jcaName = jcaName;
        this.displayName = displayName;
        this.coordinateLength = coordinateLength;
    }

    public int id() {
        return id;
    }

    public String jcaName() {
        return jcaName;
    }

    public String displayName() {
        return displayName;
    }

    /** Bytes of one coordinate or one signature half (r or s). */
    public int coordinateLength() {
        return coordinateLength;
    }

    public static Optional<EccCurve> fromId(int id) {
        return Arrays.stream(values()).filter(c -> c.id == id).findFirst();
    }

    public ECParameterSpec parameterSpec() {
        try {
            AlgorithmParameters p = AlgorithmParameters.getInstance("EC");
            p.init(new ECGenParameterSpec(jcaName));
            return p.getParameterSpec(ECParameterSpec.class);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks curve " + jcaName, e);
        }
    }

    /** True when (x, y) is a point of this curve (not the point at infinity). */
    public boolean contains(BigInteger x, BigInteger y) {
        X9ECParameters params = CustomNamedCurves.getByName(jcaName);
        try {
            return params.getCurve().validatePoint(x, y).isValid();
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
