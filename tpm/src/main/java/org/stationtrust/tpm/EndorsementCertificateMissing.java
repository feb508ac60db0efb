package org.stationtrust.tpm;

/** The TPM holds no EK certificate in any of the standard NV indices. */
public final class EndorsementCertificateMissing extends TpmException {
    private static final long serialVersionUID = 1L;

    public EndorsementCertificateMissing(String message) {
        super(message);
    }

    public EndorsementCertificateMissing(String message, Throwable cause) {
        super(message, cause);
    }
}
