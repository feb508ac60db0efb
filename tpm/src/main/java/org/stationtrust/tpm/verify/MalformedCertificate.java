package org.stationtrust.tpm.verify;

/** Bytes that are not one bounded, well-formed X.509 certificate. */
public final class MalformedCertificate extends TpmVerificationException {
    private static final long serialVersionUID = 1L;

    public MalformedCertificate(String message) {
        super(message);
    }

    public MalformedCertificate(String message, Throwable cause) {
        super(message, cause);
    }
}
