package org.stationtrust.sbi.client;

import java.util.List;

/** The biometric modality of a device, with the SBI 0.9.5 wire name. */
public enum Modality {
    FINGER("Finger"),
    IRIS("Iris"),
    FACE("Face");

    private final String wireName;

    Modality(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** Parses an SBI type name; rejects unknown names explicitly. */
    public static Modality fromWire(String name) {
        for (Modality m : values()) {
            if (m.wireName.equalsIgnoreCase(name)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown biometric type '" + name + "', expected one of Finger, Iris, Face");
    }

    /**
     * The bioSubType names a sensor of this modality captures for a deviceSubId
     * (docs/sbi-protocol.md "Objects": 1 left, 2 right, 3 thumbs / both irises, 0 single or face).
     */
    public List<String> sensorSubTypes(int deviceSubId) {
        switch (this) {
            case FINGER:
                switch (deviceSubId) {
                    case 0: return List.of("Left IndexFinger", "Left MiddleFinger", "Left RingFinger",
                            "Left LittleFinger", "Left Thumb", "Right IndexFinger", "Right MiddleFinger",
                            "Right RingFinger", "Right LittleFinger", "Right Thumb", "UNKNOWN");
                    case 1: return List.of("Left IndexFinger", "Left MiddleFinger", "Left RingFinger", "Left LittleFinger");
                    case 2: return List.of("Right IndexFinger", "Right MiddleFinger", "Right RingFinger", "Right LittleFinger");
                    case 3: return List.of("Left Thumb", "Right Thumb");
                    default: break;
                }
                break;
            case IRIS:
                switch (deviceSubId) {
                    case 0: return List.of("Left", "Right", "UNKNOWN");
                    case 1: return List.of("Left");
                    case 2: return List.of("Right");
                    case 3: return List.of("Left", "Right");
                    default: break;
                }
                break;
            case FACE:
                if (deviceSubId == 0) {
                    return List.of();
                }
                break;
            default:
                break;
        }
        throw new IllegalArgumentException("deviceSubId " + deviceSubId + " does not exist for " + wireName
                + " (finger/iris: 0-3, face: 0)");
    }

    /**
     * Whether a face element's bioSubType says "no subtype", the only thing a face may say: absent or empty,
     * {@code UNKNOWN}, or the modality's own name ({@code Face}, any case, as some deployed services send).
     * The station and the compliance harness both judge a face element by this one rule.
     */
    public static boolean isNoFaceSubType(String subType) {
        return subType == null || subType.isEmpty() || subType.equals("UNKNOWN") || subType.equalsIgnoreCase(FACE.wireName);
    }

    /** How many biometrics one capture of this sensor yields: count + exceptions must equal it. */
    public int sensorCount(int deviceSubId) {
        if (this == FACE || deviceSubId == 0) {
            sensorSubTypes(deviceSubId);
            return 1;
        }
        return sensorSubTypes(deviceSubId).size();
    }
}
