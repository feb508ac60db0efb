package org.stationtrust.sbi.simulator;

import java.util.Locale;

/**
 * How closely the simulated device follows the wire formats: the default keeps the simulator's
 * long-standing behaviour (other modules' tests rely on it); the other two play a device that MOSIP's
 * compliance toolkit 1.4.x accepts, and one it refuses although the SBI 0.9.5 text tolerates it.
 */
public enum SbiFormat {
    /** Today's simulator: case-insensitive discovery type, empty purpose when Not Registered, a capture below the requested score answered at once. */
    DEFAULT,
    /**
     * What MOSIP's toolkit enforces: discovery with an unknown (e.g. upper-cased) type answers an error
     * element; purpose stays set when Not Registered; a capture whose quality stays below the
     * requested score answers its best frame at the request's timeout (SBI 0.9.5 §Capture).
     */
    MOSIP_STRICT,
    /**
     * Spec-tolerated but refused by MOSIP's schemas: numeric requestedScore/qualityScore, an extra property in
     * the capture data, an empty errorInfo, no domainUri on authentication captures; plus a lower-case hash,
     * which breaks the spec itself (SBI 0.9.5 §Capture Response: "in upper case"). Otherwise behaves like
     * {@link #MOSIP_STRICT}.
     */
    LOOSE;

    /** True when the device follows the spec's timing and discovery rules (strict and loose). */
    public boolean followsSpecTiming() {
        return this != DEFAULT;
    }

    public static SbiFormat parse(String text) {
        String t = text == null ? "" : text.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        try {
            return valueOf(t);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Unknown format '" + text + "'; expected one of "
                    + java.util.Arrays.toString(values()), e);
        }
    }
}
