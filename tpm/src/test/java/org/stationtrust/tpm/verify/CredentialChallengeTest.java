package org.stationtrust.tpm.verify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.stationtrust.tpm.verify.internal.Kdf;
import org.stationtrust.tpm.verify.internal.TpmConstants;
import org.stationtrust.tpm.verify.internal.TpmReader;

/**
 * The shape of software MakeCredential output and its refusals. That a TPM really activates it is
 * proven against swtpm in {@link Tpm2ToolsCredentialActivationTest}.
 */
class CredentialChallengeTest {
    private static TpmPublic rsaEk;
    private static TpmPublic eccEk;
    private static final byte[] AK_NAME = Arrays.copyOf(new byte[] {0x00, 0x0b, 0x11}, 34);

    @BeforeAll
    static void endorsementKeys() throws Exception {
        rsaEk = TpmPublic.parse(TpmStructures.rsaPublic((RSAPublicKey) TestPki.rsa().getPublic(),
                TpmStructures.EK_ATTRIBUTES, TpmConstants.ALG_NULL, true, TpmStructures.EK_POLICY));
        eccEk = TpmPublic.parse(TpmStructures.eccPublic((ECPublicKey) TestPki.ec().getPublic(),
                TpmStructures.EK_ATTRIBUTES, TpmConstants.ALG_NULL, true, TpmStructures.EK_POLICY));
    }

    @Test
    void theBlobIsAnOuterHmacThenTheEncryptedSizedSecret() throws Exception {
        CredentialChallenge c = CredentialChallenge.make(rsaEk, AK_NAME, new byte[20]);

        TpmReader r = new TpmReader(c.credentialBlob(), "TPM2B_ID_OBJECT", 1024);
        assertEquals(32, r.sized("integrityHMAC", 64).length);
        assertEquals(2 + 20, r.remaining(), "AES-CFB keeps the length of size || secret");
        assertEquals(256, c.encryptedSecret().length, "one RSA-2048 OAEP block");
    }

    @Test
    void anEccChallengeCarriesAnEphemeralPointOnTheEksCurve() throws Exception {
        CredentialChallenge c = CredentialChallenge.make(eccEk, AK_NAME, new byte[16]);

        TpmReader r = new TpmReader(c.encryptedSecret(), "TPMS_ECC_POINT", 256);
        byte[] x = r.sized("x", 66);
        byte[] y = r.sized("y", 66);
        r.expectEnd();
        assertTrue(EccCurve.NIST_P256.contains(new java.math.BigInteger(1, x), new java.math.BigInteger(1, y)));
    }

    @Test
    void everyChallengeUsesAFreshSeed() throws Exception {
        byte[] secret = new byte[32];
        assertNotEquals(CredentialChallenge.make(rsaEk, AK_NAME, secret), CredentialChallenge.make(rsaEk, AK_NAME, secret));
    }

    @Test
    void refusesKeysThatCannotBeEndorsementKeysAndBadArguments() throws Exception {
        TpmPublic signingKey = TpmStructures.SoftwareAk.ecc(TpmStructures.AK_ATTRIBUTES).pub();
        assertThrows(UnsuitableEndorsementKey.class, () -> CredentialChallenge.make(signingKey, AK_NAME, new byte[16]));
        assertThrows(IllegalArgumentException.class, () -> CredentialChallenge.make(rsaEk, AK_NAME, new byte[15]));
        assertThrows(IllegalArgumentException.class, () -> CredentialChallenge.make(rsaEk, AK_NAME, new byte[33]));
        assertThrows(IllegalArgumentException.class, () -> CredentialChallenge.make(rsaEk, new byte[34], new byte[16]),
                "a Name starts with a known hash algorithm id");
        assertThrows(IllegalArgumentException.class, () -> CredentialChallenge.make(rsaEk,
                Arrays.copyOf(AK_NAME, 33), new byte[16]), "the digest must have the algorithm's length");
    }

    @Test
    void kdfaIsDeterministicDependsOnEveryInputAndHashesTheLabelWithItsZeroOctet() {
        byte[] key = new byte[32];
        byte[] a = Kdf.kdfa("HmacSHA256", key, "STORAGE", AK_NAME, new byte[0], 128);
        assertEquals(16, a.length);
        assertTrue(Arrays.equals(a, Kdf.kdfa("HmacSHA256", key, "STORAGE", AK_NAME, new byte[0], 128)));
        assertTrue(!Arrays.equals(a, Kdf.kdfa("HmacSHA256", key, "INTEGRITY", AK_NAME, new byte[0], 128)));
        assertTrue(!Arrays.equals(a, Kdf.kdfa("HmacSHA256", key, "STORAGE", new byte[34], new byte[0], 128)));
        assertEquals(40, Kdf.kdfa("HmacSHA256", key, "X", new byte[0], new byte[0], 320).length);
        assertArrayEquals(new byte[] {0x49, 0x44, 0x00}, Kdf.nullTerminated("ID"));
    }
}
