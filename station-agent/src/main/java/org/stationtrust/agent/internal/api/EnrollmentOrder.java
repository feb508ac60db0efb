package org.stationtrust.agent.internal.api;

import java.util.Optional;

/** The body of {@code POST /v1/enrollment}: an optional one-time enrollment token, at most 200 characters. */
public record EnrollmentOrder(String token) {
    static final int MAX_TOKEN = 200;

    public EnrollmentOrder {
        if (token != null && token.length() > MAX_TOKEN) {
            throw new IllegalArgumentException("token must be a string of at most " + MAX_TOKEN + " characters");
        }
    }

    public Optional<String> oneTimeToken() {
        return Optional.ofNullable(token);
    }
}
