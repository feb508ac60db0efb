package org.stationtrust.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A TPM quote as a station sends it (docs/server-api.md, "Attestation"): the nonce as issued, TPMS_ATTEST,
 * TPMT_SIGNATURE and the PCR values by index, all standard base64: either {@code pcrs}, the SHA-256 bank (what
 * every station sends for a quote of that bank alone), or {@code pcrBanks}, the values by bank name
 * ({@link PcrBank}) for a quote over several banks;
 * optionally the boot event log (base64) or, when the server already holds it, only its SHA-256 (hex).
 * {@code machineId} names the machine when the request is not signed: the quote itself then authenticates it
 * (docs/server-api.md, "Attestation"); a signed request names the machine in its signature instead.
 */
public record QuoteSubmission(@JsonProperty(value = "nonce", required = true) String nonce,
                              @JsonProperty(value = "attest", required = true) String attest,
                              @JsonProperty(value = "signature", required = true) String signature,
                              @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("pcrs") Map<String, String> pcrs,
                              @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("pcrBanks")
                              Map<String, Map<String, String>> pcrBanks,
                              @JsonProperty("eventLog") String eventLog,
                              @JsonProperty("eventLogSha256") String eventLogSha256,
                              @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("machineId") String machineId) {
    /** Indices 0..23: at most this many values per bank. */
    public static final int MAX_PCRS_PER_BANK = 24;

    public QuoteSubmission {
        if (nonce == null || attest == null || signature == null) {
            throw new IllegalArgumentException("nonce, attest, signature and pcrs (or pcrBanks) are required");
        }
        if ((pcrs == null) == (pcrBanks == null)) {
            throw new IllegalArgumentException("send the quoted PCR values in exactly one of 'pcrs' (the sha256 bank)"
                    + " and 'pcrBanks' (values by bank name: " + PcrBank.known() + ")");
        }
        if (pcrs != null) {
            pcrs = values("pcrs", pcrs);
        } else {
            pcrBanks = banks(pcrBanks);
        }
        if (eventLogSha256 != null && !eventLogSha256.matches("[0-9a-fA-F]{64}")) {
            throw new IllegalArgumentException("eventLogSha256 must be 64 hex digits");
        }
        if (machineId != null) Fields.requireId("machineId", machineId);
    }

    private static Map<String, Map<String, String>> banks(Map<String, Map<String, String>> byName) {
        if (byName.isEmpty() || byName.size() > PcrBank.values().length) {
            throw new IllegalArgumentException("'pcrBanks' must name 1.." + PcrBank.values().length + " banks ("
                    + PcrBank.known() + "), got " + byName.size());
        }
        Map<String, Map<String, String>> copy = new LinkedHashMap<>();
        for (Map.Entry<String, Map<String, String>> e : byName.entrySet()) {
            if (e.getKey() == null || PcrBank.fromWire(e.getKey()).isEmpty()) {
                throw new IllegalArgumentException("'pcrBanks' names unknown bank '" + Fields.clip(e.getKey())
                        + "'; the banks a quote may cover are " + PcrBank.known());
            }
            if (e.getValue() == null) {
                throw new IllegalArgumentException("'pcrBanks." + e.getKey() + "' must be an object of PCR values");
            }
            copy.put(e.getKey(), values("pcrBanks." + e.getKey(), e.getValue()));
        }
        return java.util.Collections.unmodifiableMap(copy);
    }

    private static Map<String, String> values(String field, Map<String, String> byIndex) {
        if (byIndex.isEmpty() || byIndex.size() > MAX_PCRS_PER_BANK) {
            throw new IllegalArgumentException("'" + field + "' must hold 1.." + MAX_PCRS_PER_BANK + " PCR values, got "
                    + byIndex.size());
        }
        for (Map.Entry<String, String> e : byIndex.entrySet()) {
            if (e.getKey() == null || e.getValue() == null) {
                throw new IllegalArgumentException("'" + field + "' values must be base64 strings");
            }
        }
        return Map.copyOf(byIndex);
    }

    /** A quote a signed request carries (the signature names the machine): SHA-256 values only. */
    public QuoteSubmission(String nonce, String attest, String signature, Map<String, String> pcrs, String eventLog,
                           String eventLogSha256) {
        this(nonce, attest, signature, pcrs, null, eventLog, eventLogSha256, null);
    }

    /**
     * A quote over the banks {@code byBank} names (by {@link PcrBank#wire()}); a quote of the SHA-256 bank alone goes
     * as {@code pcrs}, which every server version reads.
     */
    public static QuoteSubmission ofBanks(String nonce, String attest, String signature,
                                          Map<String, Map<String, String>> byBank, String eventLog, String eventLogSha256) {
        if (byBank.size() == 1 && byBank.containsKey(PcrBank.SHA256.wire())) {
            return new QuoteSubmission(nonce, attest, signature, byBank.get(PcrBank.SHA256.wire()), null, eventLog,
                    eventLogSha256, null);
        }
        return new QuoteSubmission(nonce, attest, signature, null, byBank, eventLog, eventLogSha256, null);
    }

    /** The quoted values by bank: {@code pcrBanks}, or {@code pcrs} as the sha256 bank. */
    public Map<String, Map<String, String>> quotedBanks() {
        return pcrs != null ? Map.of(PcrBank.SHA256.wire(), pcrs) : pcrBanks;
    }

    /** The same quote, sent unsigned for the named machine. */
    public QuoteSubmission forMachine(String id) {
        return new QuoteSubmission(nonce, attest, signature, pcrs, pcrBanks, eventLog, eventLogSha256, id);
    }
}
