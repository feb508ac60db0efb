package org.stationtrust.server.internal.station;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.security.KeyPair;
import java.util.Arrays;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.junit.jupiter.api.Test;
import org.stationtrust.server.testing.SoftwareStation;

/** The server's ES256 check against signatures made by the JDK (an independent implementation). */
class Es256Test {
    private final KeyPair key = SoftwareStation.p256();
    private final ECPublicKeyParameters verification = Es256.key(key.getPublic());
    private final byte[] data = "eyJhbGciOiJFUzI1NiJ9.eyJub25jZSI6IngifQ".getBytes();

    @Test
    void acceptsAJdkSignature() {
        assertTrue(Es256.verify(verification, data, SoftwareStation.sign(key, data)));
    }

    @Test
    void refusesOtherDataAnotherKeyAndAFlippedBit() {
        byte[] sig = SoftwareStation.sign(key, data);
        assertFalse(Es256.verify(verification, "other".getBytes(), sig));
        assertFalse(Es256.verify(Es256.key(SoftwareStation.p256().getPublic()), data, sig));
        for (int i = 0; i < 64; i += 7) {
            byte[] flipped = sig.clone();
            flipped[i] ^= 1;
            assertFalse(Es256.verify(verification, data, flipped), "bit flipped at byte " + i);
        }
    }

    @Test
    void refusesOutOfRangeAndWronglySizedSignatures() {
        byte[] zero = new byte[64];
        assertFalse(Es256.verify(verification, data, zero));
        byte[] sig = SoftwareStation.sign(key, data);
        byte[] n = new BigInteger("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", 16).toByteArray();
        byte[] sEqualsN = sig.clone();
        System.arraycopy(n, n.length - 32, sEqualsN, 32, 32);
        assertFalse(Es256.verify(verification, data, sEqualsN));
        assertFalse(Es256.verify(verification, data, Arrays.copyOf(sig, 63)));
        assertFalse(Es256.verify(verification, data, Arrays.copyOf(sig, 72)));
    }

    @Test
    void refusesKeysThatAreNotP256() throws Exception {
        java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("EC");
        g.initialize(new java.security.spec.ECGenParameterSpec("secp384r1"));
        assertThrows(IllegalArgumentException.class, () -> Es256.key(g.generateKeyPair().getPublic()));
    }
}
