package org.stationtrust.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * {@code POST /api/v1/enrollments/{id}/activation}: the secret recovered with TPM2_ActivateCredential and the
 * first quote, over the enrollment's {@code quoteNonce} (its {@code nonce} field the same value).
 */
public record ActivationRequest(@JsonProperty(value = "secret", required = true) String secret,
                                @JsonProperty(value = "quote", required = true) QuoteSubmission quote) {
    public ActivationRequest {
        if (secret == null || quote == null) throw new IllegalArgumentException("secret and quote are required");
    }
}
