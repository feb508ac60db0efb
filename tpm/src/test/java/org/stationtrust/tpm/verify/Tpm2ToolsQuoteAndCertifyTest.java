package org.stationtrust.tpm.verify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.stationtrust.tpm.simulator.SoftwareTpm;
import org.stationtrust.tpm.simulator.SoftwareTpmExtension;

/** Quotes and certifications made by tpm2-tools on swtpm, checked by our software verifiers. */
@ExtendWith(SoftwareTpmExtension.class)
class Tpm2ToolsQuoteAndCertifyTest {
    private static final String PCRS = "sha256:0,1,2,3,4,5,6,7";
    private static final int[] PCR_INDICES = {0, 1, 2, 3, 4, 5, 6, 7};
    /** tpm2-tools 5.4's tpm2_certify has no qualifying-data option and always sends these 4 bytes. */
    private static final byte[] TOOLS_QUALIFYING_DATA = {0x00, (byte) 0xff, 0x55, (byte) 0xaa};
    private static Tpm2Tools tools;
    private static TpmPublic ak;

    @BeforeAll
    static void createAttestationKey(SoftwareTpm tpm) throws Exception {
        tools = new Tpm2Tools(tpm, Files.createDirectories(tpm.workDirectory().resolve("tools")));
        tools.flush();
        tools.run("tpm2_createek", "-c", "ek.ctx", "-G", "rsa", "-u", "ek.pub");
        tools.run("tpm2_createak", "-C", "ek.ctx", "-c", "ak.ctx", "-G", "ecc", "-g", "sha256", "-s", "ecdsa",
                "-u", "ak.pub", "-n", "ak.name", "-r", "ak.priv");
        tools.flush();
        ak = tools.readPublic("ak.pub");
    }

    private static byte[] nonce() {
        byte[] n = new byte[32];
        new SecureRandom().nextBytes(n);
        return n;
    }

    private static void quote(String akCtx, byte[] nonce, String prefix, String... extra) throws Exception {
        java.util.List<String> cmd = Tpm2Tools.args("tpm2_quote", "-c", akCtx, "-l", PCRS, "-q",
                HexFormat.of().formatHex(nonce), "-m", prefix + ".msg", "-s", prefix + ".sig", "-g", "sha256");
        cmd.addAll(java.util.List.of(extra));
        tools.run(cmd.toArray(String[]::new));
        tools.flush();
    }

    @Test
    void computesTheSameAkNameAsTheTpm() throws Exception {
        assertArrayEquals(tools.read("ak.name"), ak.name());
        assertTrue(ak.isRestricted() && ak.isSign() && ak.isFixedTpm());
    }

    @Test
    void acceptsAQuoteMadeByTpm2QuoteWithTheIssuedNonce() throws Exception {
        byte[] nonce = nonce();
        quote("ak.ctx", nonce, "q");
        PcrValues pcrs = tools.pcrValues(PCR_INDICES);

        VerifiedQuote verified = QuoteVerifier.verify(ak, tools.read("q.msg"), tools.read("q.sig"), nonce, pcrs);

        assertArrayEquals(nonce, verified.attestation().extraData());
        assertArrayEquals(pcrs.digest(), verified.attestation().quote().orElseThrow().pcrDigest());
        byte[] signer = verified.attestation().qualifiedSigner();
        assertEquals(34, signer.length, "qualifiedSigner is a SHA-256 qualified Name");
        assertEquals(0x000b, ((signer[0] & 0xff) << 8) | (signer[1] & 0xff));
    }

    @Test
    void acceptsAQuoteByAnAkWhoseSchemeHashIsSha384OverTheSha256Bank() throws Exception {
        // TPM2_Quote digests the selected PCR values with the signing scheme's hash (Part 3 §18.4), not the bank's
        tools.run("tpm2_createak", "-C", "ek.ctx", "-c", "ak384.ctx", "-G", "ecc", "-g", "sha384", "-s", "ecdsa",
                "-u", "ak384.pub", "-n", "ak384.name", "-r", "ak384.priv");
        tools.flush();
        TpmPublic ak384 = tools.readPublic("ak384.pub");
        byte[] nonce = nonce();
        tools.run("tpm2_quote", "-c", "ak384.ctx", "-l", PCRS, "-q", HexFormat.of().formatHex(nonce), "-m", "q384.msg",
                "-s", "q384.sig", "-g", "sha384");
        tools.flush();
        PcrValues pcrs = tools.pcrValues(PCR_INDICES);

        VerifiedQuote verified = QuoteVerifier.verify(ak384, tools.read("q384.msg"), tools.read("q384.sig"), nonce,
                pcrs);

        byte[] pcrDigest = verified.attestation().quote().orElseThrow().pcrDigest();
        assertEquals(48, pcrDigest.length, "a SHA-384 digest of the SHA-256 bank's values");
        assertArrayEquals(QuotedPcrs.of(pcrs).digest(HashAlgorithm.SHA384), pcrDigest);
    }

    @Test
    void rejectsAQuoteWhoseNonceIsNotTheIssuedOne() throws Exception {
        byte[] nonce = nonce();
        quote("ak.ctx", nonce, "q");
        PcrValues pcrs = tools.pcrValues(PCR_INDICES);

        assertThrows(NonceMismatch.class,
                () -> QuoteVerifier.verify(ak, tools.read("q.msg"), tools.read("q.sig"), nonce(), pcrs));
    }

    @Test
    void rejectsPcrValuesReadBeforeAPcrExtend() throws Exception {
        PcrValues before = tools.pcrValues(PCR_INDICES);
        tools.run("tpm2_pcrextend", "7:sha256=" + "ab".repeat(32));
        byte[] nonce = nonce();
        quote("ak.ctx", nonce, "q");

        PcrDigestMismatch e = assertThrows(PcrDigestMismatch.class,
                () -> QuoteVerifier.verify(ak, tools.read("q.msg"), tools.read("q.sig"), nonce, before));
        assertTrue(e.getMessage().contains("PCR digest"), e.getMessage());
        // and the fresh values verify, so the failure was the extend and nothing else
        QuoteVerifier.verify(ak, tools.read("q.msg"), tools.read("q.sig"), nonce, tools.pcrValues(PCR_INDICES));
    }

    @Test
    void rejectsPcrValuesForOtherPcrsThanQuoted() throws Exception {
        byte[] nonce = nonce();
        quote("ak.ctx", nonce, "q");
        PcrValues fewer = tools.pcrValues(0, 1, 2);

        assertThrows(PcrSelectionMismatch.class,
                () -> QuoteVerifier.verify(ak, tools.read("q.msg"), tools.read("q.sig"), nonce, fewer));
    }

    @Test
    void rejectsTheQuoteWithAnyByteOfAttestOrSignatureFlipped() throws Exception {
        byte[] nonce = nonce();
        quote("ak.ctx", nonce, "q");
        PcrValues pcrs = tools.pcrValues(PCR_INDICES);
        byte[] attest = tools.read("q.msg");
        byte[] sig = tools.read("q.sig");
        QuoteVerifier.verify(ak, attest, sig, nonce, pcrs);

        for (int i = 0; i < attest.length; i++) {
            byte[] bad = attest.clone();
            bad[i] ^= 0x01;
            assertThrows(TpmVerificationException.class, () -> QuoteVerifier.verify(ak, bad, sig, nonce, pcrs),
                    "flipped attest byte " + i);
        }
        for (int i = 0; i < sig.length; i++) {
            byte[] bad = sig.clone();
            bad[i] ^= 0x01;
            assertThrows(TpmVerificationException.class, () -> QuoteVerifier.verify(ak, attest, bad, nonce, pcrs),
                    "flipped signature byte " + i);
        }
    }

    @Test
    void rejectsAQuoteSignedByAnotherAttestationKey() throws Exception {
        tools.run("tpm2_createak", "-C", "ek.ctx", "-c", "ak2.ctx", "-G", "ecc", "-g", "sha256", "-s", "ecdsa",
                "-u", "ak2.pub", "-n", "ak2.name", "-r", "ak2.priv");
        tools.flush();
        byte[] nonce = nonce();
        quote("ak2.ctx", nonce, "q2");
        PcrValues pcrs = tools.pcrValues(PCR_INDICES);

        QuoteVerifier.verify(tools.readPublic("ak2.pub"), tools.read("q2.msg"), tools.read("q2.sig"), nonce, pcrs);
        assertThrows(QuoteSignatureInvalid.class,
                () -> QuoteVerifier.verify(ak, tools.read("q2.msg"), tools.read("q2.sig"), nonce, pcrs));
    }

    @Test
    void acceptsQuotesFromRsaAttestationKeysWithPkcs1AndPssSignatures() throws Exception {
        for (String scheme : new String[] {"rsassa", "rsapss"}) {
            tools.run("tpm2_createak", "-C", "ek.ctx", "-c", "rsa.ctx", "-G", "rsa", "-g", "sha256", "-s", scheme,
                    "-u", "rsa.pub", "-n", "rsa.name", "-r", "rsa.priv");
            tools.flush();
            TpmPublic rsaAk = tools.readPublic("rsa.pub");
            byte[] nonce = nonce();
            quote("rsa.ctx", nonce, "qr", "--scheme", scheme);
            PcrValues pcrs = tools.pcrValues(PCR_INDICES);
            byte[] attest = tools.read("qr.msg");
            byte[] sig = tools.read("qr.sig");

            assertEquals(KeyType.RSA, rsaAk.type());
            assertEquals(scheme.toUpperCase(java.util.Locale.ROOT), TpmSignature.parse(sig).algorithm().name());
            QuoteVerifier.verify(rsaAk, attest, sig, nonce, pcrs);
            byte[] bad = sig.clone();
            bad[bad.length - 7] ^= 0x40;
            assertThrows(QuoteSignatureInvalid.class, () -> QuoteVerifier.verify(rsaAk, attest, bad, nonce, pcrs));
        }
    }

    @Test
    void acceptsACertificationMadeByTpm2CertifyAndRejectsItForAnotherKey() throws Exception {
        tools.run("tpm2_createprimary", "-C", "o", "-g", "sha256", "-G", "ecc", "-c", "prim.ctx");
        tools.flush();
        tools.run("tpm2_create", "-C", "prim.ctx", "-G", "ecc", "-u", "key.pub", "-r", "key.priv",
                "-a", "fixedtpm|fixedparent|sensitivedataorigin|userwithauth|sign");
        tools.flush();
        tools.run("tpm2_load", "-C", "prim.ctx", "-u", "key.pub", "-r", "key.priv", "-c", "key.ctx");
        tools.flush();
        tools.run("tpm2_certify", "-c", "key.ctx", "-C", "ak.ctx", "-g", "sha256", "-o", "c.attest", "-s", "c.sig");
        tools.flush();
        TpmPublic key = tools.readPublic("key.pub");
        byte[] attest = tools.read("c.attest");
        byte[] sig = tools.read("c.sig");

        VerifiedCertification ok = CertifyVerifier.verify(ak, attest, sig, key, TOOLS_QUALIFYING_DATA);

        assertArrayEquals(key.name(), ok.attestation().certify().orElseThrow().name());
        assertThrows(CertifiedNameMismatch.class,
                () -> CertifyVerifier.verify(ak, attest, sig, tools.readPublic("ek.pub"),
                TOOLS_QUALIFYING_DATA));
        assertThrows(NonceMismatch.class, () -> CertifyVerifier.verify(ak, attest, sig, key, new byte[] {1}));
        assertThrows(NotAQuote.class, () -> QuoteVerifier.verify(ak, attest, sig, nonce(),
                tools.pcrValues(PCR_INDICES)));
        for (int i = 0; i < attest.length; i++) {
            byte[] bad = attest.clone();
            bad[i] ^= (byte) 0x80;
            assertThrows(TpmVerificationException.class, () -> CertifyVerifier.verify(ak, bad, sig, key, TOOLS_QUALIFYING_DATA),
                    "flipped attest byte " + i);
        }
    }
}
