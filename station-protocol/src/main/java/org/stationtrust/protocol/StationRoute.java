package org.stationtrust.protocol;

import java.util.regex.Pattern;

/** Every route a station calls (docs/server-api.md), with its method and whether it is signed. */
public enum StationRoute {
    ENROLL("POST", "/api/v1/enrollments", false),
    ENROLLMENT_STATUS("GET", "/api/v1/enrollments/{id}", false),
    ACTIVATE("POST", "/api/v1/enrollments/{id}/activation", false),
    NONCE("POST", "/api/v1/attestation/nonces", true),
    QUOTE("POST", "/api/v1/attestation/quotes", true),
    KEY_ROTATION("POST", "/api/v1/stations/key-rotation", true),
    KEY_ROTATION_WITHDRAWAL("POST", "/api/v1/stations/key-rotation/withdrawal", true),
    ME("GET", "/api/v1/stations/me", true),
    PACKETS("POST", "/api/v1/packets", true),
    PACKETS_VERIFY("POST", "/api/v1/packets/verify", true),
    AUDIT_EVENTS("POST", "/api/v1/stations/audit-events", true);

    private static final Pattern MACHINE_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private final String method;
    private final String template;
    private final boolean signed;

    StationRoute(String method, String template, boolean signed) {
        this.method = method;
        this.template = template;
        this.signed = signed;
    }

    public String method() {
        return method;
    }

    /** The path as the server registers it ({@code {id}} for the machine id). */
    public String template() {
        return template;
    }

    /** True when the call carries {@link StationHeaders#SIGNATURE}. */
    public boolean signed() {
        return signed;
    }

    /** The path of a route without parameters. */
    public String path() {
        if (template.contains("{id}")) throw new IllegalStateException(this + " needs a machine id");
        return template;
    }

    /** The path for one machine; the id is checked so that it cannot change the path. */
    public String path(String machineId) {
        if (!template.contains("{id}")) throw new IllegalStateException(this + " takes no machine id");
        if (machineId == null || !MACHINE_ID.matcher(machineId).matches()) {
            throw new IllegalArgumentException("a machine id is 1-64 characters of A-Z a-z 0-9 _ -");
        }
        return template.replace("{id}", machineId);
    }
}
