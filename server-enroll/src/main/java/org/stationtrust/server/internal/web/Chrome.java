package org.stationtrust.server.internal.web;

import java.util.Locale;
import org.stationtrust.server.Role;
import org.stationtrust.server.internal.auth.Caller;

/**
 * What every console page's frame needs: the title, who is signed in (null on the sign-in pages), their role, the
 * CSRF token of their session for the forms, and which section of the navigation is current.
 */
public record Chrome(String title, String user, Role role, String csrf, String section) {
    public static Chrome of(String title, Caller who, String section) {
        return new Chrome(title, who.username(), who.role(), who.csrfToken(), section);
    }

    public static Chrome anonymous(String title) {
        return new Chrome(title, null, null, null, null);
    }

    /** {@code "page"} for the current section's link (aria-current), else null so the attribute is left out. */
    public String current(String name) {
        return name.equals(section) ? "page" : null;
    }

    public String roleName() {
        return role == null ? "" : role.name().toLowerCase(Locale.ROOT);
    }

    public boolean may(Role needed) {
        return role != null && role.includes(needed);
    }
}
