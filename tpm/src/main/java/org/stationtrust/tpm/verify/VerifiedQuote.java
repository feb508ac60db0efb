package org.stationtrust.tpm.verify;

import java.util.Objects;

/** A quote whose signature, magic, type, nonce, PCR selection and PCR digest all verified. */
public record VerifiedQuote(Attestation attestation, QuotedPcrs pcrs) {
    public VerifiedQuote {
        Objects.requireNonNull(attestation, "attestation");
        Objects.requireNonNull(pcrs, "pcrs");
    }
}
