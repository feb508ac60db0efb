package org.stationtrust.tpm.verify;

import java.util.Objects;
import java.util.Optional;

/** The checks quote and certify verification share: the key may attest, and the signature is its own. */
final class AttestationKeyCheck {
    private AttestationKeyCheck() {
    }

    /**
     * Only a restricted signing key guarantees that what it signed starting with TPM_GENERATED_VALUE
     * came from the TPM itself (Part 1 §25.2.4); an unrestricted key signs anything it is given.
     */
    static void requireRestrictedSigningKey(TpmPublic ak) throws UnsuitableAttestationKey {
        Objects.requireNonNull(ak, "ak");
        if (!ak.isRestricted() || !ak.isSign()) {
            throw new UnsuitableAttestationKey("the attestation key must be a restricted signing key"
                    + " (attributes restricted|sign), got " + ak + "; use the AK enrolled for this machine");
        }
    }

    /** Empty when the signature verifies; otherwise why it does not. */
    static Optional<String> signatureProblem(TpmPublic ak, TpmSignature sig, byte[] signedData) {
        TpmPublic.Scheme scheme = ak.scheme();
        if (scheme.kind() != TpmPublic.SchemeKind.NONE) {
            boolean sameScheme = scheme.kind().name().equals(sig.algorithm().name());
            if (!sameScheme || !scheme.hash().equals(Optional.of(sig.hash()))) {
                return Optional.of("the key's scheme is " + scheme.kind() + "/" + scheme.hash().map(Enum::name)
                        .orElse("-") + " but the signature is " + sig.algorithm() + "/" + sig.hash());
            }
        }
        if (!sig.verify(ak, signedData)) {
            return Optional.of("the " + sig.algorithm() + " signature does not verify with the key (Name "
                    + java.util.HexFormat.of().formatHex(ak.name()) + ") over the attestation bytes");
        }
        return Optional.empty();
    }
}
