package org.stationtrust.tpm.verify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.Signature;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TpmSignatureTest {
    private static final byte[] DATA = "signed by the TPM".getBytes(StandardCharsets.US_ASCII);
    private static KeyPair ec;
    private static KeyPair rsa;
    private static byte[] ecdsa;

    @BeforeAll
    static void sign() throws Exception {
        ec = TestPki.ec();
        rsa = TestPki.rsa();
        ecdsa = TpmStructures.ecdsaSignature(ec.getPrivate(), DATA);
    }

    private static MalformedTpmStructure rejects(byte[] input) {
        return assertThrows(MalformedTpmStructure.class, () -> TpmSignature.parse(input));
    }

    @Test
    void anEcdsaSignatureVerifiesWithJcaAndConvertsToDerAndJose() throws Exception {
        TpmSignature sig = TpmSignature.parse(ecdsa);

        assertEquals(TpmSignature.Algorithm.ECDSA, sig.algorithm());
        assertEquals(HashAlgorithm.SHA256, sig.hash());
        assertTrue(sig.verify(ec.getPublic(), DATA));
        Signature der = Signature.getInstance("SHA256withECDSA");
        der.initVerify(ec.getPublic());
        der.update(DATA);
        assertTrue(der.verify(sig.toDer()));
        byte[] jose = sig.toJose();
        assertEquals(64, jose.length);
        assertArrayEquals(Arrays.copyOfRange(ecdsa, 6, 38), Arrays.copyOf(jose, 32));
        Signature p1363 = Signature.getInstance("SHA256withECDSAinP1363Format");
        p1363.initVerify(ec.getPublic());
        p1363.update(DATA);
        assertTrue(p1363.verify(jose));
    }

    @Test
    void aSignatureDoesNotVerifyOverOtherDataWithAnotherKeyOrWithAnyByteFlipped() throws Exception {
        TpmSignature sig = TpmSignature.parse(ecdsa);
        assertFalse(sig.verify(ec.getPublic(), "other data".getBytes(StandardCharsets.US_ASCII)));
        assertFalse(sig.verify(TestPki.ec().getPublic(), DATA));
        assertFalse(sig.verify(rsa.getPublic(), DATA), "a key of the wrong type is a failed verification");
        for (int i = 6; i < ecdsa.length; i++) {
            byte[] bad = ecdsa.clone();
            bad[i] ^= 0x10;
            if (i == 38 || i == 39) {
                continue; // the size of s: a different size is a parse error, tested below
            }
            assertFalse(TpmSignature.parse(bad).verify(ec.getPublic(), DATA), "flipped byte " + i);
        }
    }

    @Test
    void rsaPkcs1AndPssSignaturesVerifyWithJca() throws Exception {
        for (boolean pss : new boolean[] {false, true}) {
            byte[] wire = TpmStructures.rsaSignature(rsa.getPrivate(), DATA, pss);
            TpmSignature sig = TpmSignature.parse(wire);
            assertEquals(pss ? TpmSignature.Algorithm.RSAPSS : TpmSignature.Algorithm.RSASSA, sig.algorithm());
            assertTrue(sig.verify(rsa.getPublic(), DATA));
            wire[wire.length - 1] ^= 1;
            assertFalse(TpmSignature.parse(wire).verify(rsa.getPublic(), DATA));
            assertThrows(IllegalStateException.class, sig::toDer, "RSA has no r and s");
        }
    }

    @Test
    void rejectsTruncatedOversizedUnknownUnsignedAndTrailingInput() {
        for (int len = 0; len < ecdsa.length; len++) {
            MalformedTpmStructure e = rejects(Arrays.copyOf(ecdsa, len));
            assertTrue(e.getMessage().startsWith("TPMT_SIGNATURE.") && e.getMessage().contains("offset"),
                    e.getMessage());
        }
        assertTrue(rejects(Arrays.copyOf(ecdsa, ecdsa.length + 2)).getMessage().contains("2 trailing byte"));
        byte[] unsigned = {0x00, 0x10};
        assertTrue(rejects(unsigned).getMessage().contains("(unsigned)"));
        byte[] hmac = ecdsa.clone();
        hmac[1] = 0x05;
        assertTrue(rejects(hmac).getMessage().contains("sigAlg"));
        byte[] bigR = ecdsa.clone();
        bigR[4] = 0x01; // r claims 256+32 bytes
        assertTrue(rejects(bigR).getMessage().contains("signatureR.size"));
        byte[] emptyR = {0x00, 0x18, 0x00, 0x0b, 0x00, 0x00, 0x00, 0x01, 0x01};
        assertTrue(rejects(emptyR).getMessage().contains("non-empty"));
        assertTrue(rejects(new byte[TpmSignature.MAX_SIZE + 1]).getMessage().contains("at most"));
    }
}
