package org.stationtrust.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * A TPM quote as a station sends it (docs/server-api.md, "Attestation"): the nonce as issued, TPMS_ATTEST,
 * TPMT_SIGNATURE and the SHA-256 PCR values by index, all standard base64;
 * optionally the boot event log (base64) or, when the server already holds it, only its SHA-256 (hex).
 * {@code machineId} names the machine when the request is not signed: the quote itself then authenticates it
 * (docs/server-api.md, "Attestation"); a signed request names the machine in its signature instead.
 */
public record QuoteSubmission(@JsonProperty(value = "nonce", required = true) String nonce,
                              @JsonProperty(value = "attest", required = true) String attest,
                              @JsonProperty(value = "signature", required = true) String signature,
                              @JsonProperty(value = "pcrs", required = true) Map<String, String> pcrs,
                              @JsonProperty("eventLog") String eventLog,
                              @JsonProperty("eventLogSha256") String eventLogSha256,
                              @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("machineId") String machineId) {
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
        if (machineId != null) Fields.requireId("machineId", machineId);
    }

    /** A quote a signed request carries (the signature names the machine). */
    public QuoteSubmission(String nonce, String attest, String signature, Map<String, String> pcrs, String eventLog,
                           String eventLogSha256) {
        this(nonce, attest, signature, pcrs, eventLog, eventLogSha256, null);
    }

    /** The same quote, sent unsigned for the named machine. */
    public QuoteSubmission forMachine(String id) {
        return new QuoteSubmission(nonce, attest, signature, pcrs, eventLog, eventLogSha256, id);
    }
}
