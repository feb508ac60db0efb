package org.stationtrust.sbi.client;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ModalityTest {

    @Test
    void aFaceSaysNoSubtypeInEveryWayDeployedServicesWriteIt() {
        for (String none : new String[] {null, "", "UNKNOWN", "Face", "face"}) {
            assertTrue(Modality.isNoFaceSubType(none), String.valueOf(none));
        }
        for (String some : new String[] {"Left", "Left Thumb", "unknown", "Full face"}) {
            assertFalse(Modality.isNoFaceSubType(some), some);
        }
    }
}
