package org.stationtrust.tpm.verify;

/** The certification names another object than the key presented for certification. */
public final class CertifiedNameMismatch extends TpmVerificationException {
    private static final long serialVersionUID = 1L;

    public CertifiedNameMismatch(String message) {
        super(message);
    }

    public CertifiedNameMismatch(String message, Throwable cause) {
        super(message, cause);
    }
}
