package org.stationtrust.tpm.verify;

import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Verifies a TPM2_Quote (TPM 2.0 Part 3 §18.4) in software: signature by the attestation key (JCA),
 * magic, type, nonce, PCR selection and PCR digest. Each failure is its own exception type.
 */
public final class QuoteVerifier {
    /** A nonce shorter than this could be guessed or replayed; TPM2B_DATA holds at most 64 bytes. */
    public static final int MIN_NONCE = 16;
    public static final int MAX_NONCE = 64;

    private QuoteVerifier() {
    }

    /**
     * @param ak the attestation key's public area (restricted signing key)
     * @param attest TPMS_ATTEST bytes as signed by the TPM
     * @param signature TPMT_SIGNATURE bytes
     * @param expectedNonce the nonce the verifier issued, 16..64 random bytes (compared in constant time)
     * @param pcrs the PCR values of the one bank the quote covers, sent with it
     */
    public static VerifiedQuote verify(TpmPublic ak, byte[] attest, byte[] signature, byte[] expectedNonce,
            PcrValues pcrs) throws TpmVerificationException {
        Objects.requireNonNull(pcrs, "pcrs");
        return verify(ak, attest, signature, expectedNonce, QuotedPcrs.of(pcrs));
    }

    /**
     * As {@link #verify(TpmPublic, byte[], byte[], byte[], PcrValues)} for a quote over several banks: the values
     * sent must cover exactly the banks and PCRs selected; their order is taken from the quote's selection.
     */
    public static VerifiedQuote verify(TpmPublic ak, byte[] attest, byte[] signature, byte[] expectedNonce,
            QuotedPcrs pcrs) throws TpmVerificationException {
        Objects.requireNonNull(expectedNonce, "expectedNonce");
        Objects.requireNonNull(pcrs, "pcrs");
        if (expectedNonce.length < MIN_NONCE || expectedNonce.length > MAX_NONCE) {
            throw new IllegalArgumentException("the expected nonce must be " + MIN_NONCE + ".." + MAX_NONCE
                    + " random bytes issued by the verifier, got " + expectedNonce.length);
        }
        AttestationKeyCheck.requireRestrictedSigningKey(ak);
        TpmSignature sig = TpmSignature.parse(signature);
        Attestation attestation = Attestation.parse(attest);
        // The signature first: nothing inside the attestation is worth reading until it is authentic.
        Optional<String> problem = AttestationKeyCheck.signatureProblem(ak, sig, attestation.encoded());
        if (problem.isPresent()) {
            throw new QuoteSignatureInvalid("quote signature invalid: " + problem.get()
                    + "; the quote was altered or made by another key: reject it");
        }
        if (!attestation.isTpmGenerated()) {
            throw new NotTpmGenerated("expected magic TPM_GENERATED_VALUE 0xff544347, got 0x"
                    + Long.toHexString(attestation.magic()) + "; the data was not produced by a TPM");
        }
        Attestation.QuoteInfo quote = attestation.quote().orElseThrow(() -> new NotAQuote(
                "expected a TPM_ST_ATTEST_QUOTE (0x8018) attestation, got " + attestation.type()
                        + "; ask the agent for TPM2_Quote output"));
        if (!MessageDigest.isEqual(attestation.extraData(), expectedNonce)) {
            throw new NonceMismatch("the quote's extraData is not the nonce issued for this attestation ("
                    + attestation.extraData().length + " bytes seen, " + expectedNonce.length
                    + " expected); it is a replay or answers another challenge: issue a fresh nonce");
        }
        QuotedPcrs ordered = requireSelectionMatches(quote.pcrSelection(), pcrs);
        byte[] digest = ordered.digest(sig.hash()); // the signing scheme's hash (Part 3 §18.4), which the key fixes
        if (!MessageDigest.isEqual(quote.pcrDigest(), digest)) {
            throw new PcrDigestMismatch("the quote signs PCR digest " + HexFormat.of().formatHex(quote.pcrDigest())
                    + " but the PCR values sent hash to " + HexFormat.of().formatHex(digest)
                    + "; the values sent are not the ones quoted: reject them");
        }
        return new VerifiedQuote(attestation, ordered);
    }

    /** The values sent, in the quote's bank order, when they are exactly the banks and PCRs it selects. */
    private static QuotedPcrs requireSelectionMatches(List<PcrBankSelection> selection, QuotedPcrs pcrs)
            throws PcrSelectionMismatch {
        List<PcrBankSelection> nonEmpty = selection.stream().filter(b -> !b.pcrs().isEmpty()).toList();
        boolean matches = nonEmpty.size() == pcrs.banks().size() && nonEmpty.stream().allMatch(b -> pcrs.bank(b.hash())
                .map(v -> v.indices().equals(b.pcrs())).orElse(false));
        if (!matches) {
            throw new PcrSelectionMismatch("the quote selects " + describe(nonEmpty) + " but the PCR values sent are "
                    + pcrs.banks().stream().map(b -> b.bank() + ":" + b.indices()).toList()
                    + "; send exactly the banks and PCRs quoted");
        }
        return pcrs.inOrder(nonEmpty.stream().map(PcrBankSelection::hash).toList());
    }

    private static String describe(List<PcrBankSelection> banks) {
        return banks.isEmpty() ? "no PCR" : banks.stream().map(b -> b.hash() + ":" + b.pcrs()).toList().toString();
    }
}
