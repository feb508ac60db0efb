package org.stationtrust.server.internal.store;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Where a machine stands with attestation, as stored in {@code machines.attestation_status} and shown to operators and
 * stations by its name. Declared in the order operators see the statuses listed (the machine list's filter, the fleet
 * gauges).
 */
public enum AttestationStatus {
    /** The last quote matched the machine's PCR policy. */
    OK,
    /** The last quote did not; the machine is refused until one passes. */
    FAILED,
    /** Never attested since approval. */
    NONE,
    /** OK once, but the last success is older than the attestation interval (set by the sweep, or seen on read). */
    OVERDUE;

    /** The stored value; an unknown one is refused (a status this server does not know is never read as OK). */
    static AttestationStatus parse(String stored) {
        for (AttestationStatus s : values()) {
            if (s.name().equals(stored)) return s;
        }
        throw new IllegalStateException("Unknown attestation status '" + stored + "' in the machines table");
    }

    /** A status an operator asked for (a query string): its exact name, or refused naming the allowed ones. */
    public static AttestationStatus fromQuery(String text) {
        for (AttestationStatus s : values()) {
            if (s.name().equals(text)) return s;
        }
        throw new IllegalArgumentException("Unknown attestation status '" + (text != null && text.length() > 40
                ? text.substring(0, 40) + "..." : text) + "': expected one of " + names());
    }

    /** The names, comma-separated, in declaration order. */
    public static String names() {
        return Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", "));
    }

    /** The status as an operator or station sees it now: OK that is {@code overdue} reads OVERDUE. */
    public AttestationStatus seen(boolean overdue) {
        return this == OK && overdue ? OVERDUE : this;
    }
}
