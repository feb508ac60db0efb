package org.stationtrust.sbi.simulator.internal;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.stationtrust.sbi.simulator.DeviceKind;

/** Which bioSubTypes each deviceSubId of a device sees, and the choice of what a request captures. */
public final class SensorLayout {
    public static final List<String> FINGERS = List.of(
            "Left IndexFinger", "Left MiddleFinger", "Left RingFinger", "Left LittleFinger", "Left Thumb",
            "Right IndexFinger", "Right MiddleFinger", "Right RingFinger", "Right LittleFinger", "Right Thumb");
    public static final List<String> IRISES = List.of("Left", "Right");
    public static final String UNKNOWN = "UNKNOWN";
    /** Face elements carry no bioSubType; this marks the single face element internally. */
    public static final String FACE = "";

    private SensorLayout() {
    }

    /** SBI 0.9.5 §Capture: 1 left slap / iris, 2 right slap / iris, 3 thumbs / both irises; face 0. */
    public static List<String> sensorSubTypes(DeviceKind kind, int deviceSubId) {
        return switch (kind) {
            case FINGER_SLAP -> switch (deviceSubId) {
                case 1 -> FINGERS.subList(0, 4);
                case 2 -> FINGERS.subList(5, 9);
                case 3 -> List.of("Left Thumb", "Right Thumb");
                default -> List.of();
            };
            case IRIS_DOUBLE -> switch (deviceSubId) {
                case 1 -> List.of("Left");
                case 2 -> List.of("Right");
                case 3 -> IRISES;
                default -> List.of();
            };
            case FACE -> deviceSubId == 0 ? List.of(FACE) : List.of();
        };
    }

    /** Whether {@code name} is a bioSubType name SBI knows (any modality). */
    public static boolean isKnownName(String name) {
        return FINGERS.contains(name) || IRISES.contains(name) || UNKNOWN.equals(name);
    }

    /**
     * The subtypes a capture returns, in order. Registration: the sensor's subtypes (or the requested
     * ones) minus exceptions, and count must equal their number. Authentication: the first
     * {@code count} of them. {@code UNKNOWN} in the request is answered as {@code UNKNOWN}.
     */
    public static List<String> select(DeviceKind kind, int deviceSubId, List<String> requested,
                                      List<String> exceptions, int count, boolean registration) throws DeviceError {
        List<String> sensor = sensorSubTypes(kind, deviceSubId);
        if (kind == DeviceKind.FACE) {
            if (count != 1) {
                throw new DeviceError(DeviceError.COUNT_NOT_SUPPORTED, "Face capture count must be 1, was " + count);
            }
            return List.of(FACE);
        }
        for (String e : exceptions) {
            if (!sensor.contains(e)) {
                throw new DeviceError(DeviceError.COUNT_NOT_SUPPORTED, "Exception '" + e
                        + "' is not on deviceSubId " + deviceSubId + " (sensor sees " + sensor + ")");
            }
        }
        List<String> available = new ArrayList<>(sensor);
        available.removeAll(exceptions);
        List<String> chosen = new ArrayList<>();
        if (requested.isEmpty()) {
            chosen.addAll(available);
        } else {
            Set<String> unique = new LinkedHashSet<>(requested);
            int unknowns = 0;
            for (String r : unique) {
                if (UNKNOWN.equals(r)) {
                    unknowns++;
                } else if (!available.contains(r)) {
                    throw new DeviceError(DeviceError.COUNT_NOT_SUPPORTED, "bioSubType '" + r
                            + "' cannot be captured on deviceSubId " + deviceSubId + " (available " + available + ")");
                } else {
                    chosen.add(r);
                }
            }
            if (unknowns > 0) {
                int fill = registration ? available.size() - chosen.size() : Math.max(0, count - chosen.size());
                for (int i = 0; i < fill && chosen.size() < available.size(); i++) {
                    chosen.add(UNKNOWN);
                }
            }
        }
        if (registration) {
            if (count != chosen.size()) {
                throw new DeviceError(DeviceError.COUNT_NOT_SUPPORTED, "Requested count " + count + " with "
                        + exceptions.size() + " exception(s) does not fit deviceSubId " + deviceSubId
                        + ": expected count " + chosen.size() + " (sensor sees " + sensor.size() + ")");
            }
            return chosen;
        }
        if (count < 1 || count > chosen.size()) {
            throw new DeviceError(DeviceError.COUNT_NOT_SUPPORTED, "Requested count " + count
                    + " is not available on deviceSubId " + deviceSubId + " (at most " + chosen.size() + ")");
        }
        return chosen.subList(0, count);
    }

    /** ISO/IEC 19794-4 finger position code for an SBI bioSubType (0 = unknown). */
    public static int fingerPosition(String bioSubType) {
        return switch (bioSubType) {
            case "Right Thumb" -> 1;
            case "Right IndexFinger" -> 2;
            case "Right MiddleFinger" -> 3;
            case "Right RingFinger" -> 4;
            case "Right LittleFinger" -> 5;
            case "Left Thumb" -> 6;
            case "Left IndexFinger" -> 7;
            case "Left MiddleFinger" -> 8;
            case "Left RingFinger" -> 9;
            case "Left LittleFinger" -> 10;
            default -> IsoRecords.FINGER_UNKNOWN;
        };
    }

    /** ISO/IEC 19794-6 eye label: 1 right, 2 left, 0 unspecified. */
    public static int eyeLabel(String bioSubType) {
        return switch (bioSubType) {
            case "Right" -> 1;
            case "Left" -> 2;
            default -> 0;
        };
    }
}
