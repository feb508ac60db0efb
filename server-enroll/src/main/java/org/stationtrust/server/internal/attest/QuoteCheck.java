package org.stationtrust.server.internal.attest;

import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.SortedMap;
import org.stationtrust.protocol.ErrorCode;
import org.stationtrust.protocol.QuoteSubmission;
import org.stationtrust.server.internal.http.ApiException;
import org.stationtrust.server.internal.http.JsonBodies;
import org.stationtrust.tpm.verify.Attestation;
import org.stationtrust.tpm.verify.PcrValues;
import org.stationtrust.tpm.verify.QuoteVerifier;
import org.stationtrust.tpm.verify.TpmPublic;
import org.stationtrust.tpm.verify.TpmSignature;
import org.stationtrust.tpm.verify.TpmVerificationException;

/** Quote verification (via the tpm verify package) and the PCR policy comparison. */
public final class QuoteCheck {
    private QuoteCheck() {
    }

    /** Verifies signature, magic/type, nonce and PCR digest; returns the PCR values the quote vouches for. */
    public static SortedMap<Integer, byte[]> verify(TpmPublic ak, byte[] expectedNonce, QuoteSubmission q) {
        SortedMap<Integer, byte[]> pcrs;
        byte[] attest, signature;
        try {
            pcrs = PcrMap.fromWire(q.pcrs());
            attest = JsonBodies.base64("attest", q.attest(), Attestation.MAX_SIZE);
            signature = JsonBodies.base64("signature", q.signature(), TpmSignature.MAX_SIZE);
        } catch (IllegalArgumentException e) {
            throw new ApiException(ErrorCode.INVALID_FIELD, e.getMessage());
        }
        try {
            QuoteVerifier.verify(ak, attest, signature, expectedNonce, PcrValues.sha256(pcrs));
            return pcrs;
        } catch (TpmVerificationException e) {
            throw new ApiException(ErrorCode.QUOTE_INVALID, "Quote refused: "
                    + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new ApiException(ErrorCode.QUOTE_INVALID, "Quote refused: " + e.getMessage());
        }
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
