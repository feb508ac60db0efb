package org.stationtrust.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * A TPM quote as a station sends it (docs/server-api.md, "Attestation"): the nonce as issued, TPMS_ATTEST,
 * TPMT_SIGNATURE and the SHA-256 PCR values by index, all standard base64;
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
        for (Map.Entry<String, String> e : pcrs.entrySet()) {
            if (e.getKey() == null || e.getValue() == null) {
                throw new IllegalArgumentException("pcrs values must be base64 strings");
            }
        }
        pcrs = Map.copyOf(pcrs);
        if (eventLogSha256 != null && !eventLogSha256.matches("[0-9a-fA-F]{64}")) {
            throw new IllegalArgumentException("eventLogSha256 must be 64 hex digits");
        }
    }
}
