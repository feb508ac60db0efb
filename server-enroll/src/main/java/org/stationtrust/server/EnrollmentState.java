package org.stationtrust.server;

/**
 * A machine's enrollment state (docs/design.md, "Enrollment"):
 * PENDING_ACTIVATION → PENDING_APPROVAL → ACTIVE → REVOKED, plus REJECTED.
 */
public enum EnrollmentState {
    PENDING_ACTIVATION, PENDING_APPROVAL, ACTIVE, REVOKED, REJECTED;

    public static EnrollmentState parse(String text) {
        for (EnrollmentState s : values()) {
            if (s.name().equals(text)) return s;
        }
        throw new IllegalArgumentException("Unknown enrollment state '" + text + "': expected one of "
                + java.util.Arrays.toString(values()));
    }
}
