package org.stationtrust.server.testing;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.interfaces.ECPrivateKey;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ParametersWithRandom;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;

/**
 * ECDSA P-256 signing with BouncyCastle's lightweight API, for the load generator only. The generator shares the
 * server's cores, so it may prepare ahead of a measured run what does not depend on the message or the key
 * (offline/online ECDSA): a random k, r = x(kG) mod n and k^-1 mod n. A signature then costs only
 * s = k^-1 (e + r d) mod n. Each prepared value is used once and never again; when they run out, signing falls
 * back to the full computation, and {@link #signedOnline} counts those.
 */
final class FastSigner {
    private static final X9ECParameters P256 = CustomNamedCurves.getByName("secp256r1");
    private static final ECDomainParameters DOMAIN = new ECDomainParameters(P256.getCurve(), P256.getG(), P256.getN(),
            P256.getH());
    private static final BigInteger N = P256.getN();
    private static final Map<KeyPair, ECPrivateKeyParameters> KEYS = new ConcurrentHashMap<>();
    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();
    private static volatile BigInteger[] preparedR = new BigInteger[0];
    private static volatile BigInteger[] preparedKInverse = new BigInteger[0];
    private static final AtomicInteger NEXT = new AtomicInteger();
    private static final AtomicLong ONLINE = new AtomicLong();

    private FastSigner() {
    }

    /** Prepares count one-time signing values on all cores (before a measured run); replaces any left over. */
    static void prepare(int count) throws InterruptedException {
        BigInteger[] r = new BigInteger[count];
        BigInteger[] kInverse = new BigInteger[count];
        int threads = Runtime.getRuntime().availableProcessors();
        Thread[] workers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            int first = t;
            workers[t] = new Thread(() -> {
                FixedPointCombMultiplier multiplier = new FixedPointCombMultiplier();
                java.security.SecureRandom random = new java.security.SecureRandom();
                for (int i = first; i < count; i += threads) {
                    while (true) {
                        BigInteger k = new BigInteger(N.bitLength(), random);
                        if (k.signum() == 0 || k.compareTo(N) >= 0) continue;
                        ECPoint p = multiplier.multiply(DOMAIN.getG(), k).normalize();
                        BigInteger x = p.getAffineXCoord().toBigInteger().mod(N);
                        if (x.signum() == 0) continue;
                        r[i] = x;
                        kInverse[i] = k.modInverse(N);
                        break;
                    }
                }
            }, "bench-presign-" + t);
            workers[t].start();
        }
        for (Thread w : workers) w.join();
        preparedR = r;
        preparedKInverse = kInverse;
        NEXT.set(0);
        ONLINE.set(0);
    }

    /** Signatures made with the full computation because no prepared value was left. */
    static long signedOnline() {
        return ONLINE.get();
    }

    static byte[] sign(KeyPair k, byte[] data) {
        ECPrivateKeyParameters key = KEYS.computeIfAbsent(k, kp -> new ECPrivateKeyParameters(
                ((ECPrivateKey) kp.getPrivate()).getS(), DOMAIN));
        BigInteger e = new BigInteger(1, SoftwareStation.sha256(data));
        BigInteger[] r = preparedR;
        BigInteger[] kInverse = preparedKInverse;
        int i = NEXT.getAndIncrement();
        if (i >= 0 && i < r.length) {
            BigInteger s = kInverse[i].multiply(e.add(r[i].multiply(key.getD()))).mod(N);
            if (s.signum() != 0) return encode(r[i], s);
        }
        ONLINE.incrementAndGet();
        ECDSASigner signer = new ECDSASigner();
        signer.init(true, new ParametersWithRandom(key, RANDOM));
        BigInteger[] rs = signer.generateSignature(SoftwareStation.sha256(data));
        return encode(rs[0], rs[1]);
    }

    private static byte[] encode(BigInteger r, BigInteger s) {
        byte[] out = new byte[64];
        put(r, out, 0);
        put(s, out, 32);
        return out;
    }

    private static void put(BigInteger v, byte[] out, int offset) {
        byte[] b = v.toByteArray();
        int n = Math.min(b.length, 32);
        System.arraycopy(b, b.length - n, out, offset + 32 - n, n);
    }
}
