package org.stationtrust.sbi.simulator;

/** SBI 0.9.5 device status, with the exact string the protocol carries. */
public enum DeviceStatus {
    READY("Ready"),
    BUSY("Busy"),
    NOT_READY("Not Ready"),
    /** The device has no certificate from its management server: device info is unsigned, error 100. */
    NOT_REGISTERED("Not Registered");

    private final String wire;

    DeviceStatus(String wire) {
        this.wire = wire;
    }

    /** The value sent in {@code deviceStatus}, e.g. {@code "Not Ready"}. */
    public String wire() {
        return wire;
    }

    /** Parses either the wire string ({@code "Not Ready"}) or the enum name ({@code NOT_READY}). */
    public static DeviceStatus parse(String text) {
        if (text != null) {
            for (DeviceStatus s : values()) {
                if (s.wire.equalsIgnoreCase(text.trim()) || s.name().equalsIgnoreCase(text.trim())) {
                    return s;
                }
            }
        }
        throw new IllegalArgumentException("Unknown device status '" + text
                + "'; expected one of Ready, Busy, Not Ready, Not Registered");
    }
}
