package org.stationtrust.ctk.internal.check;

import java.util.List;

/** The bioSubTypes a segment (device subtype + deviceSubId) can deliver, SBI 0.9.5 §Device Discovery. */
public final class Segments {
    public static final List<String> LEFT_SLAP = List.of("Left IndexFinger", "Left MiddleFinger", "Left RingFinger",
            "Left LittleFinger");
    public static final List<String> RIGHT_SLAP = List.of("Right IndexFinger", "Right MiddleFinger",
            "Right RingFinger", "Right LittleFinger");
    public static final List<String> THUMBS = List.of("Left Thumb", "Right Thumb");
    public static final List<String> FINGERS = List.of("Left IndexFinger", "Left MiddleFinger", "Left RingFinger",
            "Left LittleFinger", "Left Thumb", "Right IndexFinger", "Right MiddleFinger", "Right RingFinger",
            "Right LittleFinger", "Right Thumb", "UNKNOWN");
    public static final List<String> IRISES = List.of("Left", "Right", "UNKNOWN");

    private Segments() {
    }

    /** Every subtype the segment holds; an empty list for face (no bioSubType). */
    public static List<String> of(String type, String subType, String deviceSubId) {
        String sid = deviceSubId == null ? "0" : deviceSubId;
        switch (type) {
            case "Finger":
                if ("Slap".equals(subType)) {
                    return switch (sid) {
                        case "1" -> LEFT_SLAP;
                        case "2" -> RIGHT_SLAP;
                        case "3" -> THUMBS;
                        default -> FINGERS;
                    };
                }
                return FINGERS;
            case "Iris":
                if ("Double".equals(subType)) {
                    return switch (sid) {
                        case "1" -> List.of("Left");
                        case "2" -> List.of("Right");
                        default -> List.of("Left", "Right");
                    };
                }
                return IRISES;
            default:
                return List.of();
        }
    }
}
