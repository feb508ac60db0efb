package org.stationtrust.tpm.eventlog;

import java.util.Optional;
import org.stationtrust.tpm.verify.HashAlgorithm;

/**
 * One entry of the Spec ID event's algorithm list (TCG_EfiSpecIdEventAlgorithmSize, PC Client PFP
 * §10.4.5.1): a bank and the size of its digests in every event of this log.
 */
public record SpecIdAlgorithm(int algorithmId, int digestSize) {
    public SpecIdAlgorithm {
        if (algorithmId < 0 || algorithmId > 0xffff || digestSize < 1 || digestSize > 0xffff) {
            throw new IllegalArgumentException("algorithm " + algorithmId + " with digest size " + digestSize);
        }
    }

    public Optional<HashAlgorithm> hash() {
        return HashAlgorithm.fromId(algorithmId);
    }
}
