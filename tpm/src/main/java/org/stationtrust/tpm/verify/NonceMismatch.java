package org.stationtrust.tpm.verify;

/** The attestation's extraData is not the nonce (or qualifying data) the verifier issued. */
public final class NonceMismatch extends TpmVerificationException {
    private static final long serialVersionUID = 1L;

    public NonceMismatch(String message) {
        super(message);
    }

    public NonceMismatch(String message, Throwable cause) {
        super(message, cause);
    }
}
