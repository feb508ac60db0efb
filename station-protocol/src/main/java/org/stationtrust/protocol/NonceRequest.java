package org.stationtrust.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * {@code POST /api/v1/attestation/nonces} body; an empty body or no purpose means {@link NoncePurpose#QUOTE}.
 * A signed request names its machine in the signature; an unsigned one (quote nonces only, docs/server-api.md,
 * "Attestation") names it in {@code machineId}.
 */
public record NonceRequest(NoncePurpose purpose, @JsonInclude(JsonInclude.Include.NON_NULL) String machineId) {
    public NonceRequest {
        purpose = purpose == null ? NoncePurpose.QUOTE : purpose;
        if (machineId != null) Fields.requireId("machineId", machineId);
    }

    /** A request a signed call sends: the signature names the machine. */
    public NonceRequest(NoncePurpose purpose) {
        this(purpose, null);
    }

    /** An unsigned request for a quote nonce for this machine. */
    public static NonceRequest unsignedQuote(String machineId) {
        return new NonceRequest(NoncePurpose.QUOTE, Fields.requireId("machineId", machineId));
    }
}
