package org.stationtrust.server.internal.testing;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.interfaces.ECPrivateKey;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ParametersWithRandom;
import org.bouncycastle.crypto.signers.ECDSASigner;

/** ECDSA P-256 signing with BouncyCastle's lightweight API, for the load generator only. */
final class FastSigner {
    private static final X9ECParameters P256 = CustomNamedCurves.getByName("secp256r1");
    private static final ECDomainParameters DOMAIN = new ECDomainParameters(P256.getCurve(), P256.getG(), P256.getN(),
            P256.getH());
    private static final Map<KeyPair, ECPrivateKeyParameters> KEYS = new ConcurrentHashMap<>();
    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    private FastSigner() {
    }

    static byte[] sign(KeyPair k, byte[] data) {
        ECPrivateKeyParameters key = KEYS.computeIfAbsent(k, kp -> new ECPrivateKeyParameters(
                ((ECPrivateKey) kp.getPrivate()).getS(), DOMAIN));
        ECDSASigner signer = new ECDSASigner();
        signer.init(true, new ParametersWithRandom(key, RANDOM));
        BigInteger[] rs = signer.generateSignature(SoftwareStation.sha256(data));
        byte[] out = new byte[64];
        put(rs[0], out, 0);
        put(rs[1], out, 32);
        return out;
    }

    private static void put(BigInteger v, byte[] out, int offset) {
        byte[] b = v.toByteArray();
        int n = Math.min(b.length, 32);
        System.arraycopy(b, b.length - n, out, offset + 32 - n, n);
    }
}
