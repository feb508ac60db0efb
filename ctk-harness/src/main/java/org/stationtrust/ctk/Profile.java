package org.stationtrust.ctk;

import java.time.Duration;
import java.util.Locale;

/**
 * Which rule book a run is judged by. Every report names it.
 *
 * <ul>
 *   <li>{@link #SPEC}: SBI 0.9.5 as written (the default).</li>
 *   <li>{@link #MOSIP}: what MOSIP's compliance toolkit 1.4.x enforces on top, including its JSON
 *       schemas (strings for scores, upper-case hash, no extra properties, errorInfo, domainUri on
 *       authentication captures, a purpose even when Not Registered), an error element for an invalid
 *       discovery type, answers no earlier than the timeout, and timestamps within 180 s.</li>
 * </ul>
 * Our own additions (hash chain on every element, stream frame checks, robustness, skew in both
 * directions) apply in both profiles and are marked as ours in the reports.
 */
public enum Profile {
    SPEC("spec", Duration.ofMinutes(5)),
    MOSIP("mosip", Duration.ofSeconds(180));

    private final String wire;
    private final Duration defaultSkew;

    Profile(String wire, Duration defaultSkew) {
        this.wire = wire;
        this.defaultSkew = defaultSkew;
    }

    /** The name used on the command line and in reports. */
    public String wire() {
        return wire;
    }

    /** The timestamp skew allowed when the command line does not set one (MOSIP: 3 minutes). */
    public Duration defaultSkew() {
        return defaultSkew;
    }

    /** Parses {@code spec} or {@code mosip}; anything else is refused (fail closed). */
    public static Profile parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        for (Profile p : values()) {
            if (p.wire.equals(t)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown profile '" + text + "'; expected spec or mosip");
    }
}
