package org.stationtrust.tpm.verify;

/** The quote's signature does not verify with the attestation key. */
public final class QuoteSignatureInvalid extends TpmVerificationException {
    private static final long serialVersionUID = 1L;

    public QuoteSignatureInvalid(String message) {
        super(message);
    }

    public QuoteSignatureInvalid(String message, Throwable cause) {
        super(message, cause);
    }
}
