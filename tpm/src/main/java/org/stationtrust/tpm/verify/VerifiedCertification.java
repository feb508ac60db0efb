package org.stationtrust.tpm.verify;

import java.util.Objects;

/** A TPM2_Certify result that verified: the AK vouches that certifiedKey lives in the same TPM. */
public record VerifiedCertification(Attestation attestation, TpmPublic certifiedKey) {
    public VerifiedCertification {
        Objects.requireNonNull(attestation, "attestation");
        Objects.requireNonNull(certifiedKey, "certifiedKey");
    }
}
