package org.stationtrust.tpm.verify;

/** The EK certificate does not chain to a trusted TPM manufacturer CA, or breaks a PKIX rule. */
public final class EkCertificateUntrusted extends TpmVerificationException {
    private static final long serialVersionUID = 1L;

    public EkCertificateUntrusted(String message) {
        super(message);
    }

    public EkCertificateUntrusted(String message, Throwable cause) {
        super(message, cause);
    }
}
