package org.stationtrust.server.internal.attest;

import org.stationtrust.server.internal.pcr.PcrMap;
import org.stationtrust.server.internal.pcr.PcrPolicy;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import org.stationtrust.protocol.ErrorCode;
import org.stationtrust.protocol.PcrBank;
import org.stationtrust.protocol.QuoteSubmission;
import org.stationtrust.server.internal.http.ApiException;
import org.stationtrust.server.internal.http.JsonBodies;
import org.stationtrust.tpm.verify.Attestation;
import org.stationtrust.tpm.verify.HashAlgorithm;
import org.stationtrust.tpm.verify.PcrValues;
import org.stationtrust.tpm.verify.QuoteVerifier;
import org.stationtrust.tpm.verify.QuotedPcrs;
import org.stationtrust.tpm.verify.TpmPublic;
import org.stationtrust.tpm.verify.TpmSignature;
import org.stationtrust.tpm.verify.TpmVerificationException;

/** Quote verification (via the tpm verify package) and the PCR policy comparison. */
public final class QuoteCheck {
    private QuoteCheck() {
    }

    /**
     * Verifies signature, magic/type, nonce and PCR digest over every bank quoted; returns the PCR values the quote
     * vouches for. Which banks are acceptable is {@link #requireSha256}'s question, asked once the quote is the
     * machine's own.
     */
    public static QuotedPcrs verify(TpmPublic ak, byte[] expectedNonce, QuoteSubmission q) {
        QuotedPcrs pcrs;
        byte[] attest, signature;
        try {
            pcrs = fromWire(q);
            attest = JsonBodies.base64("attest", q.attest(), Attestation.MAX_SIZE);
            signature = JsonBodies.base64("signature", q.signature(), TpmSignature.MAX_SIZE);
        } catch (IllegalArgumentException e) {
            throw new ApiException(ErrorCode.INVALID_FIELD, e.getMessage());
        }
        try {
            QuoteVerifier.verify(ak, attest, signature, expectedNonce, pcrs);
            return pcrs;
        } catch (TpmVerificationException e) {
            throw new ApiException(ErrorCode.QUOTE_INVALID, "Quote refused: "
                    + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new ApiException(ErrorCode.QUOTE_INVALID, "Quote refused: " + e.getMessage());
        }
    }

    /** The banks sent ({@code pcrs} or {@code pcrBanks}), each value the size of its bank's digest. */
    private static QuotedPcrs fromWire(QuoteSubmission q) {
        List<PcrValues> banks = new ArrayList<>();
        q.quotedBanks().forEach((name, values) -> {
            PcrBank bank = PcrBank.fromWire(name).orElseThrow(() -> new IllegalArgumentException("unknown PCR bank '"
                    + name + "'; known: " + PcrBank.known()));
            HashAlgorithm hash = HashAlgorithm.fromBankName(bank.wire()).orElseThrow();
            String field = q.pcrs() != null ? "pcrs" : "pcrBanks." + name;
            banks.add(PcrValues.of(hash, PcrMap.fromWire(values, field, bank.valueLength())));
        });
        return QuotedPcrs.of(banks);
    }

    /**
     * The SHA-256 values of a verified quote. SHA-1 is accepted only beside SHA-256, to replay a boot event log that
     * carries no SHA-256 digests (docs/measured-boot.md, "SHA-1 banks"): a quote without SHA-256 is refused, so a
     * station can never have its boot judged by the weaker bank where the stronger one exists.
     */
    public static SortedMap<Integer, byte[]> requireSha256(QuotedPcrs quoted) {
        return quoted.sha256().map(PcrValues::asMap).orElseThrow(() -> new ApiException(ErrorCode.PCR_BANK_REFUSED,
                "Quote refused: it covers " + quoted.algorithms().stream().map(HashAlgorithm::bankName).toList()
                        + " but not sha256. SHA-1 is accepted only beside SHA-256, for a boot event log that carries"
                        + " no SHA-256 digests; a quote of the weaker bank alone is a downgrade: quote sha256"));
    }

    /** Every PCR the policy names must be in the quote with exactly the policy's value. */
    public static void requireMatchesPolicy(SortedMap<Integer, byte[]> policy, SortedMap<Integer, byte[]> quoted) {
        if (policy.isEmpty()) {
            throw new ApiException(ErrorCode.PCR_POLICY_VIOLATION, "The machine has no PCR policy (no baseline and no "
                    + "golden values): an admin must set golden values");
        }
        for (Map.Entry<Integer, byte[]> e : policy.entrySet()) {
            byte[] seen = quoted.get(e.getKey());
            if (seen == null) {
                throw new ApiException(ErrorCode.PCR_POLICY_VIOLATION, "The quote does not cover PCR " + e.getKey()
                        + ", which the machine's policy requires; quote PCRs " + policy.keySet());
            }
            if (!java.security.MessageDigest.isEqual(seen, e.getValue())) {
                throw new ApiException(ErrorCode.PCR_POLICY_VIOLATION, "PCR " + e.getKey() + " is "
                        + HexFormat.of().formatHex(seen) + " but the policy expects "
                        + HexFormat.of().formatHex(e.getValue()) + " (boot chain changed?)");
            }
        }
    }

    public static byte[] decodeNonce(String b64) {
        try {
            byte[] n = Base64.getDecoder().decode(b64);
            if (n.length != 32) throw new IllegalArgumentException();
            return n;
        } catch (IllegalArgumentException e) {
            throw new ApiException(ErrorCode.NONCE_INVALID, "nonce must be the 32-byte base64 value the server issued");
        }
    }
}
