package org.stationtrust.tpm.verify;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** An EK certificate that chains to a trusted root: the path used and what it says about the TPM. */
public record ValidatedEkCertificate(X509Certificate certificate, List<X509Certificate> path,
        X509Certificate trustAnchor, Optional<TpmManufacturerInfo> tpm) {
    public ValidatedEkCertificate {
        Objects.requireNonNull(certificate, "certificate");
        path = List.copyOf(path);
        Objects.requireNonNull(trustAnchor, "trustAnchor");
        Objects.requireNonNull(tpm, "tpm");
    }
}
