package org.stationtrust.tpm.verify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.stationtrust.tpm.verify.internal.TpmConstants;

class TpmPublicTest {
    private static KeyPair ec;
    private static KeyPair rsa;
    private static byte[] eccAk;
    private static byte[] rsaEk;

    @BeforeAll
    static void keys() throws Exception {
        ec = TestPki.ec();
        rsa = TestPki.rsa();
        eccAk = TpmStructures.eccPublic((ECPublicKey) ec.getPublic(), TpmStructures.AK_ATTRIBUTES,
                TpmConstants.ALG_ECDSA, false, new byte[0]);
        rsaEk = TpmStructures.rsaPublic((RSAPublicKey) rsa.getPublic(), TpmStructures.EK_ATTRIBUTES,
                TpmConstants.ALG_NULL, true, TpmStructures.EK_POLICY);
    }

    private static MalformedTpmStructure rejects(byte[] input) {
        return assertThrows(MalformedTpmStructure.class, () -> TpmPublic.parse(input));
    }

    private static byte[] with(byte[] base, int offset, int... values) {
        byte[] b = base.clone();
        for (int i = 0; i < values.length; i++) {
            b[offset + i] = (byte) values[i];
        }
        return b;
    }

    @Test
    void parsesAnEccAttestationKeyAndComputesItsNameAndJcaKey() throws Exception {
        TpmPublic ak = TpmPublic.parse(eccAk);

        assertEquals(KeyType.ECC, ak.type());
        assertEquals(HashAlgorithm.SHA256, ak.nameAlg());
        assertTrue(ak.isRestricted() && ak.isSign() && ak.isFixedTpm() && ak.isFixedParent()
                && ak.isSensitiveDataOrigin());
        assertFalse(ak.isDecrypt());
        assertEquals(TpmPublic.SchemeKind.ECDSA, ak.scheme().kind());
        byte[] expectedName = new byte[34];
        expectedName[1] = 0x0b;
        System.arraycopy(MessageDigest.getInstance("SHA-256").digest(eccAk), 0, expectedName, 2, 32);
        assertArrayEquals(expectedName, ak.name());
        assertEquals(((ECPublicKey) ec.getPublic()).getW(), ((ECPublicKey) ak.toPublicKey()).getW());
        assertArrayEquals(eccAk, ak.encoded());
    }

    @Test
    void parsesAnRsaEkTemplateKeyWithExponentZeroMeaning65537() throws Exception {
        TpmPublic ek = TpmPublic.parse(rsaEk);

        assertEquals(KeyType.RSA, ek.type());
        assertEquals(TpmStructures.EK_ATTRIBUTES, ek.attributes());
        assertTrue(ek.isAdminWithPolicy() && ek.isRestricted() && ek.isDecrypt());
        assertArrayEquals(TpmStructures.EK_POLICY, ek.authPolicy());
        assertEquals(new TpmPublic.Symmetric(true, 128), ek.symmetric());
        RSAPublicKey key = (RSAPublicKey) ek.toPublicKey();
        assertEquals(65537, key.getPublicExponent().intValueExact());
        assertEquals(((RSAPublicKey) rsa.getPublic()).getModulus(), key.getModulus());
    }

    @Test
    void convertsEverySupportedRsaSizeAndCurveToAJcaKey() throws Exception {
        java.util.Random random = new java.util.Random(1);
        for (int bits : new int[] {2048, 3072, 4096}) {
            // a public key only needs an odd modulus of the right size; no key generation needed
            java.math.BigInteger modulus = new java.math.BigInteger(bits, random).setBit(bits - 1).setBit(0);
            RSAPublicKey key = (RSAPublicKey) java.security.KeyFactory.getInstance("RSA").generatePublic(
                    new java.security.spec.RSAPublicKeySpec(modulus, java.math.BigInteger.valueOf(65537)));
            TpmPublic parsed = TpmPublic.parse(TpmStructures.rsaPublic(key, TpmStructures.AK_ATTRIBUTES,
                    TpmConstants.ALG_RSASSA, false, new byte[0]));
            assertEquals(bits, ((TpmPublic.RsaParameters) parsed.parameters()).keyBits());
            assertEquals(modulus, ((RSAPublicKey) parsed.toPublicKey()).getModulus());
        }
        for (EccCurve curve : EccCurve.values()) {
            java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("EC");
            g.initialize(new java.security.spec.ECGenParameterSpec(curve.jcaName()));
            ECPublicKey key = (ECPublicKey) g.generateKeyPair().getPublic();
            int n = curve.coordinateLength();
            byte[] wire = new org.stationtrust.tpm.verify.internal.TpmWriter().u16(TpmConstants.ALG_ECC)
                    .u16(TpmConstants.ALG_SHA256).u32(TpmPublic.SIGN).sized(new byte[0]).u16(TpmConstants.ALG_NULL)
                    .u16(TpmConstants.ALG_NULL).u16(curve.id()).u16(TpmConstants.ALG_NULL)
                    .sized(TpmStructures.fixed(key.getW().getAffineX(), n))
                    .sized(TpmStructures.fixed(key.getW().getAffineY(), n)).toByteArray();
            assertEquals(key.getW(), ((ECPublicKey) TpmPublic.parse(wire).toPublicKey()).getW(), curve.name());
        }
    }

    @Test
    void rejectsEveryTruncationNamingTheFieldAndOffset() {
        for (byte[] valid : new byte[][] {eccAk, rsaEk}) {
            for (int len = 0; len < valid.length; len++) {
                MalformedTpmStructure e = rejects(Arrays.copyOf(valid, len));
                assertTrue(e.getMessage().startsWith("TPMT_PUBLIC.") && e.getMessage().contains(" at offset ")
                        && e.getMessage().contains("expected"), e.getMessage());
            }
        }
    }

    @Test
    void rejectsTrailingBytes() {
        MalformedTpmStructure e = rejects(Arrays.copyOf(eccAk, eccAk.length + 1));
        assertTrue(e.getMessage().contains("1 trailing byte"), e.getMessage());
    }

    @Test
    void rejectsOversizedFieldsAndInput() {
        // authPolicy size at offset 8 claims 0xffff bytes
        MalformedTpmStructure e = rejects(with(eccAk, 8, 0xff, 0xff));
        assertTrue(e.getMessage().contains("authPolicy.size") && e.getMessage().contains("at most 64")
                && e.getMessage().contains("65535"), e.getMessage());
        assertTrue(rejects(new byte[TpmPublic.MAX_SIZE + 1]).getMessage().contains("at most 1024 bytes"));
        int xSizeAt = eccAk.length - 2 * 34;
        assertTrue(rejects(with(eccAk, xSizeAt, 0x00, 0x43)).getMessage().contains("unique.ecc.x.size"));
    }

    @Test
    void rejectsUnknownAlgorithmIdsByName() {
        assertTrue(rejects(with(eccAk, 0, 0x00, 0x08)).getMessage().contains("TPMT_PUBLIC.type at offset 0: expected TPM_ALG_RSA"));
        assertTrue(rejects(with(eccAk, 2, 0x00, 0x99)).getMessage().contains("nameAlg"));
        assertTrue(rejects(with(eccAk, 10, 0x00, 0x25)).getMessage().contains("symmetric.algorithm"));
        assertTrue(rejects(with(eccAk, 12, 0x00, 0x1c)).getMessage().contains("eccDetail.scheme"));
        assertTrue(rejects(with(eccAk, 16, 0x00, 0x10)).getMessage().contains("curveID"), "BN P-256 is not supported");
        assertTrue(rejects(with(eccAk, 18, 0x00, 0x20)).getMessage().contains("kdf.scheme"));
    }

    @Test
    void rejectsReservedAttributeBitsOffCurvePointsAndWrongModulusLengths() {
        assertTrue(rejects(with(eccAk, 4, 0x80)).getMessage().contains("reserved"));
        byte[] offCurve = eccAk.clone();
        offCurve[offCurve.length - 1] ^= 1;
        assertTrue(rejects(offCurve).getMessage().contains("off the curve"));
        byte[] rsa3072Claim = rsaEk.clone();
        int bitsAt = rsaEk.length - 256 - 2 - 4 - 2;
        rsa3072Claim[bitsAt] = 0x0c; // 3072 bits, but a 256-byte modulus follows
        assertTrue(rejects(rsa3072Claim).getMessage().contains("3072-bit modulus"));
    }

    @Test
    void rejectsASchemeThatDoesNotFitTheKeyType() throws Exception {
        byte[] rsaWithEcdsa = TpmStructures.rsaPublic((RSAPublicKey) rsa.getPublic(), TpmStructures.AK_ATTRIBUTES,
                TpmConstants.ALG_ECDSA, false, new byte[0]);
        assertTrue(rejects(rsaWithEcdsa).getMessage().contains("does not fit"));
    }

    @Test
    void equalPublicAreasAreEqualValues() throws Exception {
        assertEquals(TpmPublic.parse(eccAk), TpmPublic.parse(eccAk.clone()));
        assertFalse(TpmPublic.parse(eccAk).equals(TpmPublic.parse(rsaEk)));
    }
}
