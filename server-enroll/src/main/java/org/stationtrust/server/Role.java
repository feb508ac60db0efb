package org.stationtrust.server;

import java.util.Locale;

/** Operator roles with inheritance: auditor (read) ⊂ approver (approve/reject) ⊂ admin (revoke, users, policy). */
public enum Role {
    AUDITOR, APPROVER, ADMIN;

    /** True when this role holds every permission of {@code required}. */
    public boolean includes(Role required) {
        return ordinal() >= required.ordinal();
    }

    public static Role parse(String text) {
        if (text != null) {
            for (Role r : values()) {
                if (r.name().equals(text.strip().toUpperCase(Locale.ROOT))) return r;
            }
        }
        throw new IllegalArgumentException("Unknown role '" + text + "': expected auditor, approver or admin");
    }
}
