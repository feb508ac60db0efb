package org.stationtrust.tpm.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.interfaces.ECPublicKey;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.stationtrust.tpm.verify.internal.TpmConstants;
import org.stationtrust.tpm.verify.internal.TpmWriter;

/** Each check of QuoteVerifier, proven able to fail on its own with a software-signed quote. */
class QuoteVerifierTest {
    private static final byte[] NONCE = "a fresh single-use nonce 32bytes".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final PcrValues PCRS = TpmStructures.pcrs(0, 1, 2, 7);
    private static TpmStructures.SoftwareAk ak;
    private static byte[] attest;
    private static byte[] signature;

    @BeforeAll
    static void quote() throws Exception {
        ak = TpmStructures.SoftwareAk.ecc(TpmStructures.AK_ATTRIBUTES);
        attest = TpmStructures.quote(NONCE, TpmStructures.selection(0, 1, 2, 7), PCRS.digest());
        signature = ak.sign(attest);
    }

    @Test
    void acceptsAQuoteWhoseEveryCheckHolds() throws Exception {
        VerifiedQuote v = QuoteVerifier.verify(ak.pub(), attest, signature, NONCE, PCRS);
        assertSame(PCRS, v.pcrs().sha256().orElseThrow());
    }

    @Test
    void rejectsAWrongNonce() {
        byte[] other = NONCE.clone();
        other[31] ^= 1;
        NonceMismatch e = assertThrows(NonceMismatch.class, () -> QuoteVerifier.verify(ak.pub(), attest, signature,
                other, PCRS));
        assertTrue(e.getMessage().contains("fresh nonce"), e.getMessage());
        assertThrows(NonceMismatch.class, () -> QuoteVerifier.verify(ak.pub(), attest, signature,
                Arrays.copyOf(NONCE, 31), PCRS));
    }

    @Test
    void refusesToCheckAgainstANonceTooShortToBeFresh() throws Exception {
        byte[] empty = TpmStructures.quote(new byte[0], TpmStructures.selection(0, 1, 2, 7), PCRS.digest());
        assertThrows(IllegalArgumentException.class, () -> QuoteVerifier.verify(ak.pub(), empty, ak.sign(empty),
                new byte[0], PCRS));
        assertThrows(IllegalArgumentException.class, () -> QuoteVerifier.verify(ak.pub(), attest, signature,
                new byte[15], PCRS));
    }

    @Test
    void rejectsPcrValuesThatAreNotTheQuotedOnes() {
        java.util.SortedMap<Integer, byte[]> changed = PCRS.asMap();
        changed.get(7)[0] ^= 1;
        assertThrows(PcrDigestMismatch.class, () -> QuoteVerifier.verify(ak.pub(), attest, signature, NONCE,
                PcrValues.sha256(changed)));
        assertThrows(PcrSelectionMismatch.class, () -> QuoteVerifier.verify(ak.pub(), attest, signature, NONCE,
                TpmStructures.pcrs(0, 1, 2)));
    }

    @Test
    void rejectsAQuoteOverTwoBanks() throws Exception {
        byte[] twoBanks = new TpmWriter().u32(2).u16(TpmConstants.ALG_SHA256).u8(3).bytes(new byte[] {(byte) 0x87, 0, 0})
                .u16(TpmConstants.ALG_SHA1).u8(3).bytes(new byte[] {1, 0, 0}).toByteArray();
        byte[] a = TpmStructures.quote(NONCE, twoBanks, PCRS.digest());
        PcrSelectionMismatch e = assertThrows(PcrSelectionMismatch.class,
                () -> QuoteVerifier.verify(ak.pub(), a, ak.sign(a), NONCE, PCRS));
        assertTrue(e.getMessage().contains("SHA1"), e.getMessage());
    }

    @Test
    void acceptsAQuoteOverSha256AndSha1HashedInTheQuotesBankOrderWhateverTheOrderSent() throws Exception {
        byte[] twoBanks = new TpmWriter().u32(2).u16(TpmConstants.ALG_SHA256).u8(3).bytes(new byte[] {(byte) 0x87, 0, 0})
                .u16(TpmConstants.ALG_SHA1).u8(3).bytes(new byte[] {(byte) 0x87, 0, 0}).toByteArray();
        java.util.Map<Integer, byte[]> sha1 = new java.util.TreeMap<>();
        for (int i : new int[] {0, 1, 2, 7}) {
            sha1.put(i, new byte[20]);
            sha1.get(i)[0] = (byte) i;
        }
        PcrValues sha1Values = PcrValues.sha1(sha1);
        byte[] a = TpmStructures.quote(NONCE, twoBanks, QuotedPcrs.of(PCRS, sha1Values).digest());
        VerifiedQuote v = QuoteVerifier.verify(ak.pub(), a, ak.sign(a), NONCE, QuotedPcrs.of(sha1Values, PCRS));
        assertEquals(java.util.List.of(HashAlgorithm.SHA256, HashAlgorithm.SHA1), v.pcrs().algorithms());

        byte[] otherOrder = TpmStructures.quote(NONCE, twoBanks, QuotedPcrs.of(sha1Values, PCRS).digest());
        assertThrows(PcrDigestMismatch.class, () -> QuoteVerifier.verify(ak.pub(), otherOrder, ak.sign(otherOrder),
                NONCE, QuotedPcrs.of(PCRS, sha1Values)), "the banks hash in the quote's order only");
        assertThrows(PcrSelectionMismatch.class, () -> QuoteVerifier.verify(ak.pub(), a, ak.sign(a), NONCE,
                QuotedPcrs.of(sha1Values)), "a bank quoted but not sent");
    }

    @Test
    void rejectsACertificationPresentedAsQuote() throws Exception {
        byte[] certify = TpmStructures.certify(NONCE, ak.pub().name());
        assertThrows(NotAQuote.class, () -> QuoteVerifier.verify(ak.pub(), certify, ak.sign(certify), NONCE, PCRS));
    }

    @Test
    void rejectsSignedDataWithoutTheTpmGeneratedMagic() throws Exception {
        byte[] forged = TpmStructures.attest(0x11223344L, TpmConstants.ST_ATTEST_QUOTE, NONCE,
                new TpmWriter().bytes(TpmStructures.selection(0, 1, 2, 7)).sized(PCRS.digest()).toByteArray());
        NotTpmGenerated e = assertThrows(NotTpmGenerated.class,
                () -> QuoteVerifier.verify(ak.pub(), forged, ak.sign(forged), NONCE, PCRS));
        assertTrue(e.getMessage().contains("0x11223344"), e.getMessage());
    }

    @Test
    void rejectsAQuoteSignedByAnotherKey() throws Exception {
        TpmStructures.SoftwareAk other = TpmStructures.SoftwareAk.ecc(TpmStructures.AK_ATTRIBUTES);
        assertThrows(QuoteSignatureInvalid.class, () -> QuoteVerifier.verify(other.pub(), attest, signature, NONCE,
                PCRS));
    }

    @Test
    void rejectsAnUnrestrictedKeyAsAttestationKey() throws Exception {
        TpmStructures.SoftwareAk unrestricted = TpmStructures.SoftwareAk.ecc(TpmStructures.AK_ATTRIBUTES
                & ~TpmPublic.RESTRICTED);
        assertThrows(UnsuitableAttestationKey.class, () -> QuoteVerifier.verify(unrestricted.pub(), attest,
                unrestricted.sign(attest), NONCE, PCRS));
    }

    @Test
    void rejectsASignatureWhoseSchemeIsNotTheKeys() throws Exception {
        byte[] sha384 = signature.clone();
        sha384[3] = 0x0c;
        QuoteSignatureInvalid e = assertThrows(QuoteSignatureInvalid.class,
                () -> QuoteVerifier.verify(ak.pub(), attest, sha384, NONCE, PCRS));
        assertTrue(e.getMessage().contains("scheme"), e.getMessage());
    }

    @Test
    void rejectsAnyFlippedByteInAttestOrSignature() {
        for (int mask : new int[] {0x01, 0x80}) {
            for (int i = 0; i < attest.length; i++) {
                byte[] bad = attest.clone();
                bad[i] ^= (byte) mask;
                assertThrows(TpmVerificationException.class, () -> QuoteVerifier.verify(ak.pub(), bad, signature,
                        NONCE, PCRS), "attest byte " + i);
            }
            for (int i = 0; i < signature.length; i++) {
                byte[] bad = signature.clone();
                bad[i] ^= (byte) mask;
                assertThrows(TpmVerificationException.class, () -> QuoteVerifier.verify(ak.pub(), attest, bad,
                        NONCE, PCRS), "signature byte " + i);
            }
        }
    }

    @Test
    void anRsaAttestationKeyVerifiesPkcs1Quotes() throws Exception {
        java.security.KeyPair rsa = TestPki.rsa();
        TpmPublic rsaAk = TpmPublic.parse(TpmStructures.rsaPublic((java.security.interfaces.RSAPublicKey) rsa.getPublic(),
                TpmStructures.AK_ATTRIBUTES, TpmConstants.ALG_RSASSA, false, new byte[0]));
        QuoteVerifier.verify(rsaAk, attest, TpmStructures.rsaSignature(rsa.getPrivate(), attest, false), NONCE, PCRS);
        assertThrows(QuoteSignatureInvalid.class, () -> QuoteVerifier.verify(rsaAk, attest,
                TpmStructures.rsaSignature(rsa.getPrivate(), attest, true), NONCE, PCRS));
        assertTrue(rsaAk.toPublicKey() instanceof java.security.interfaces.RSAPublicKey);
        assertTrue(ak.pub().toPublicKey() instanceof ECPublicKey);
    }
}
