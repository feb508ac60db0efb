package org.stationtrust.protocol;

/** {@code POST /api/v1/attestation/nonces} body; an empty body or no purpose means {@link NoncePurpose#QUOTE}. */
public record NonceRequest(NoncePurpose purpose) {
    public NonceRequest {
        purpose = purpose == null ? NoncePurpose.QUOTE : purpose;
    }
}
