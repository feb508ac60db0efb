package org.stationtrust.server.internal.notify;

import java.util.Locale;

/** What a webhook can subscribe to; the wire name goes in the body and the {@code X-StationTrust-Event} header. */
public enum FleetEventType {
    ENROLLMENT_PENDING_APPROVAL("enrollment.pending_approval"),
    MACHINE_APPROVED("machine.approved"),
    MACHINE_REJECTED("machine.rejected"),
    MACHINE_REVOKED("machine.revoked"),
    /** A machine's attestation went from passing (or none yet, or overdue) to FAILED. */
    ATTESTATION_FAILED("attestation.failed"),
    /** The overdue sweep found no successful attestation within the interval. */
    MACHINE_OVERDUE("machine.overdue"),
    /** Measured boot: the machine's judged boot state changed (MeasuredBoot, rules in BootStateChange). */
    BOOT_STATE_CHANGED("machine.boot_state_changed"),
    /**
     * Sign-ins to one operator account failed repeatedly and the account now backs off (LoginThrottle); not about a
     * machine: the body's machine id and name are empty and {@code detail} names the account (or its digest).
     */
    OPERATOR_LOGIN_BACKOFF("operator.login_backoff");

    private final String wire;

    FleetEventType(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    /** Parses a wire name; an unknown name is refused, never ignored (a typo must not silence a subscription). */
    public static FleetEventType parse(String text) {
        for (FleetEventType t : values()) {
            if (t.wire.equals(text)) return t;
        }
        throw new IllegalArgumentException("Unknown event '" + (text == null ? "null" : text.length() > 40
                ? text.substring(0, 40) + "..." : text) + "': expected one of " + wireNames());
    }

    public static String wireNames() {
        StringBuilder b = new StringBuilder();
        for (FleetEventType t : values()) b.append(b.length() == 0 ? "" : ", ").append(t.wire);
        return b.toString();
    }

    /** The label value used in metrics: the wire name with underscores only. */
    public String label() {
        return wire.replace('.', '_').toLowerCase(Locale.ROOT);
    }
}
