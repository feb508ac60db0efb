package org.stationtrust.protocol;

/**
 * A machine's enrollment state (docs/design.md, "Enrollment"):
 * PENDING_ACTIVATION → PENDING_APPROVAL → ACTIVE → REVOKED, plus REJECTED. On the wire: the constant's name.
 */
public enum EnrollmentState {
    PENDING_ACTIVATION, PENDING_APPROVAL, ACTIVE, REVOKED, REJECTED;

    /** The state named {@code text}; anything else is refused, never guessed. */
    public static EnrollmentState parse(String text) {
        for (EnrollmentState s : values()) {
            if (s.name().equals(text)) return s;
        }
        throw new IllegalArgumentException("Unknown enrollment state '" + Fields.clip(text) + "': expected one of "
                + java.util.Arrays.toString(values()));
    }
}
