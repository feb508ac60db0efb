package org.stationtrust.server.internal.auth;

import org.stationtrust.server.Role;

/** An authenticated operator: who, with which role, and through what (session or API token). */
public record Caller(String username, Role role, String via, String csrfToken) {
    public Caller {
        if (username == null || username.isBlank()) throw new IllegalArgumentException("caller needs a username");
        if (role == null) throw new IllegalArgumentException("caller needs a role");
    }
}
