package org.stationtrust.tpm.verify;

/** TPM wire bytes that do not form the expected structure (truncated, oversized, unknown algorithm, trailing bytes). */
public final class MalformedTpmStructure extends TpmVerificationException {
    private static final long serialVersionUID = 1L;

    public MalformedTpmStructure(String message) {
        super(message);
    }

    public MalformedTpmStructure(String message, Throwable cause) {
        super(message, cause);
    }
}
