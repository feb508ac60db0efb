package org.stationtrust.sbi.simulator;

import java.util.List;

/**
 * The kinds of biometric device the simulator can play, with their SBI 0.9.5 identity fields.
 *
 * <p>deviceSubId follows SBI 0.9.5 §Device Discovery: 1 left slap / left iris, 2 right slap / right
 * iris, 3 thumbs / both irises; 0 for a single-sensor device (face).
 */
public enum DeviceKind {
    /** A four-finger slap scanner: left slap (1), right slap (2), two thumbs (3). */
    FINGER_SLAP("1", "Finger", "Slap", List.of(1, 2, 3), "SIM-SLAP-4"),
    /** A binocular iris camera: left (1), right (2), both (3). */
    IRIS_DOUBLE("2", "Iris", "Double", List.of(1, 2, 3), "SIM-IRIS-2"),
    /** A face camera; one sensor, deviceSubId 0. */
    FACE("3", "Face", "Full face", List.of(0), "SIM-FACE-1");

    private final String deviceId;
    private final String bioType;
    private final String deviceSubType;
    private final List<Integer> deviceSubIds;
    private final String model;

    DeviceKind(String deviceId, String bioType, String deviceSubType, List<Integer> deviceSubIds, String model) {
        this.deviceId = deviceId;
        this.bioType = bioType;
        this.deviceSubType = deviceSubType;
        this.deviceSubIds = deviceSubIds;
        this.model = model;
    }

    /** The {@code deviceId} this device answers to (an internal id of the device service). */
    public String deviceId() {
        return deviceId;
    }

    /** The SBI {@code type}: {@code Finger}, {@code Iris} or {@code Face}. */
    public String bioType() {
        return bioType;
    }

    /** The SBI {@code deviceSubType}: {@code Slap}, {@code Double} or {@code Full face}. */
    public String deviceSubType() {
        return deviceSubType;
    }

    /** The deviceSubIds the device supports. */
    public List<Integer> deviceSubIds() {
        return deviceSubIds;
    }

    /** The model name put in the digitalId. */
    public String model() {
        return model;
    }

    /**
     * Parses a CLI or admin name: the enum name ({@code FINGER_SLAP}) or a short alias
     * ({@code finger}, {@code iris}, {@code face}), case-insensitive.
     */
    public static DeviceKind parse(String text) {
        String t = text == null ? "" : text.trim().toUpperCase(java.util.Locale.ROOT);
        switch (t) {
            case "FINGER": case "SLAP": case "FINGER_SLAP": return FINGER_SLAP;
            case "IRIS": case "IRIS_DOUBLE": return IRIS_DOUBLE;
            case "FACE": return FACE;
            default:
                throw new IllegalArgumentException("Unknown device kind '" + text
                        + "'; expected one of finger, iris, face (or FINGER_SLAP, IRIS_DOUBLE, FACE)");
        }
    }
}
