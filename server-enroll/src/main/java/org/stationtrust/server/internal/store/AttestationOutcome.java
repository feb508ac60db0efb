package org.stationtrust.server.internal.store;

/** The result of one attestation attempt, as stored in {@code attestations.outcome} and shown by its name. */
public enum AttestationOutcome {
    PASSED, FAILED;

    /** The stored value; an unknown one is refused rather than shown as either result. */
    static AttestationOutcome parse(String stored) {
        for (AttestationOutcome o : values()) {
            if (o.name().equals(stored)) return o;
        }
        throw new IllegalStateException("Unknown attestation outcome '" + stored + "' in the attestations table");
    }
}
