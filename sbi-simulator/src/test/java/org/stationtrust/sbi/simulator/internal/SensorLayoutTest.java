package org.stationtrust.sbi.simulator.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.stationtrust.sbi.simulator.DeviceKind;

/** The count / exception / bioSubType rules that decide what a capture returns or why it is refused (109). */
class SensorLayoutTest {
    private static List<String> registration(DeviceKind kind, int subId, List<String> requested, List<String> exceptions,
                                             int count) throws DeviceError {
        return SensorLayout.select(kind, subId, requested, exceptions, count, true);
    }

    @Test
    void registrationCountPlusExceptionsMustCoverTheSensor() throws DeviceError {
        assertEquals(List.of("Left IndexFinger", "Left RingFinger", "Left LittleFinger"),
                registration(DeviceKind.FINGER_SLAP, 1, List.of(), List.of("Left MiddleFinger"), 3));
        DeviceError e = assertThrows(DeviceError.class,
                () -> registration(DeviceKind.FINGER_SLAP, 1, List.of(), List.of("Left MiddleFinger"), 4));
        assertEquals("109", e.code());
        assertEquals("109", assertThrows(DeviceError.class,
                () -> registration(DeviceKind.IRIS_DOUBLE, 3, List.of(), List.of(), 1)).code());
    }

    @Test
    void anExceptionOrRequestedSubtypeOffTheSensorIsRefused() {
        assertEquals("109", assertThrows(DeviceError.class,
                () -> registration(DeviceKind.FINGER_SLAP, 3, List.of(), List.of("Left IndexFinger"), 1)).code());
        assertEquals("109", assertThrows(DeviceError.class,
                () -> registration(DeviceKind.FINGER_SLAP, 2, List.of("Left Thumb"), List.of(), 1)).code());
    }

    @Test
    void requestedSubtypesNarrowTheCapture() throws DeviceError {
        assertEquals(List.of("Right"), registration(DeviceKind.IRIS_DOUBLE, 3, List.of("Right"), List.of(), 1));
        assertEquals(List.of("Right Thumb"), registration(DeviceKind.FINGER_SLAP, 3, List.of(), List.of("Left Thumb"), 1));
    }

    @Test
    void faceTakesExactlyOneWhateverTheExceptions() throws DeviceError {
        assertEquals(List.of(SensorLayout.FACE), registration(DeviceKind.FACE, 0, List.of(), List.of("Left Thumb"), 1));
        assertEquals("109", assertThrows(DeviceError.class,
                () -> registration(DeviceKind.FACE, 0, List.of(), List.of(), 2)).code());
    }

    @Test
    void authenticationTakesTheFirstCountSubtypesAndAnswersUnknownAsUnknown() throws DeviceError {
        assertEquals(List.of("Left IndexFinger", "Left MiddleFinger"),
                SensorLayout.select(DeviceKind.FINGER_SLAP, 1, List.of(), List.of(), 2, false));
        assertEquals(List.of("UNKNOWN"),
                SensorLayout.select(DeviceKind.FINGER_SLAP, 1, List.of("UNKNOWN"), List.of(), 1, false));
        assertEquals("109", assertThrows(DeviceError.class,
                () -> SensorLayout.select(DeviceKind.FINGER_SLAP, 3, List.of(), List.of(), 3, false)).code());
    }

    @Test
    void isoPositionsAndEyeLabelsFollowTheStandards() {
        assertEquals(1, SensorLayout.fingerPosition("Right Thumb"));
        assertEquals(7, SensorLayout.fingerPosition("Left IndexFinger"));
        assertEquals(10, SensorLayout.fingerPosition("Left LittleFinger"));
        assertEquals(0, SensorLayout.fingerPosition("UNKNOWN"));
        assertEquals(1, SensorLayout.eyeLabel("Right"));
        assertEquals(2, SensorLayout.eyeLabel("Left"));
    }
}
