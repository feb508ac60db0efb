package org.stationtrust.server.internal.store;

/**
 * Where a machine stands with attestation, as stored in {@code machines.attestation_status} and shown to operators and
 * stations by its name.
 */
public enum AttestationStatus {
    /** Never attested since approval. */
    NONE,
    /** The last quote matched the machine's PCR policy. */
    OK,
    /** The last quote did not; the machine is refused until one passes. */
    FAILED,
    /** OK once, but the last success is older than the attestation interval (set by the sweep, or seen on read). */
    OVERDUE;

    /** The stored value; an unknown one is refused (a status this server does not know is never read as OK). */
    static AttestationStatus parse(String stored) {
        for (AttestationStatus s : values()) {
            if (s.name().equals(stored)) return s;
        }
        throw new IllegalStateException("Unknown attestation status '" + stored + "' in the machines table");
    }

    /** The status as an operator or station sees it now: OK that is {@code overdue} reads OVERDUE. */
    public AttestationStatus seen(boolean overdue) {
        return this == OK && overdue ? OVERDUE : this;
    }
}
