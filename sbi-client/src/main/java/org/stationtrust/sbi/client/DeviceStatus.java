package org.stationtrust.sbi.client;

/** Device status as reported in discovery and device info (SBI 0.9.5). */
public enum DeviceStatus {
    READY("Ready"),
    BUSY("Busy"),
    NOT_READY("Not Ready"),
    NOT_REGISTERED("Not Registered");

    private final String wireName;

    DeviceStatus(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** Parses a wire status; unknown values are rejected, never mapped to a default. */
    public static DeviceStatus fromWire(String name) {
        for (DeviceStatus s : values()) {
            if (s.wireName.equalsIgnoreCase(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown device status '" + name
                + "', expected Ready, Busy, Not Ready or Not Registered");
    }
}
