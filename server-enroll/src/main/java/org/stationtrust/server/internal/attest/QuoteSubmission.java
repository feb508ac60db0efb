package org.stationtrust.server.internal.attest;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * A TPM quote as sent by a station: TPMS_ATTEST, TPMT_SIGNATURE, nonce and SHA-256 PCR values (base64);
 * optionally the boot event log (base64) or, when the server already holds it, only its SHA-256 (hex).
 */
public record QuoteSubmission(@JsonProperty(value = "nonce", required = true) String nonce,
                              @JsonProperty(value = "attest", required = true) String attest,
                              @JsonProperty(value = "signature", required = true) String signature,
                              @JsonProperty(value = "pcrs", required = true) Map<String, String> pcrs,
                              @JsonProperty("eventLog") String eventLog,
                              @JsonProperty("eventLogSha256") String eventLogSha256) {
    public QuoteSubmission {
        if (nonce == null || attest == null || signature == null || pcrs == null) {
            throw new IllegalArgumentException("nonce, attest, signature and pcrs are required");
        }
        if (pcrs.containsKey(null) || pcrs.containsValue(null)) {
            throw new IllegalArgumentException("pcrs values must be base64 strings");
        }
        pcrs = Map.copyOf(pcrs);
        if (eventLogSha256 != null && !eventLogSha256.matches("[0-9a-fA-F]{64}")) {
            throw new IllegalArgumentException("eventLogSha256 must be 64 hex digits");
        }
    }
}
