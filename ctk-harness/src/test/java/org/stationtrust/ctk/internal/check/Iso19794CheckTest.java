package org.stationtrust.ctk.internal.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.stationtrust.ctk.internal.testing.Iso;

class Iso19794CheckTest {
    private static Iso19794Check.Format format(String type) {
        return Iso19794Check.formatOf(type).orElseThrow();
    }

    @Test
    void acceptsConsistentFingerIrisAndFaceHeaders() {
        assertEquals(Optional.empty(), Iso19794Check.problem(Iso.fingerRecord(300), format("Finger")));
        assertEquals(Optional.empty(), Iso19794Check.problem(Iso.irisRecord(300), format("Iris")));
        assertEquals(Optional.empty(), Iso19794Check.problem(Iso.faceRecord(300), format("Face")));
    }

    @Test
    void rejectsTheWrongFormatIdentifier() {
        Optional<String> p = Iso19794Check.problem(Iso.irisRecord(300), format("Finger"));
        assertTrue(p.orElse("").contains("format identifier"), p.toString());
    }

    @Test
    void rejectsTheWrongVersion() {
        byte[] r = Iso.fingerRecord(300);
        r[5] = '1';
        assertTrue(Iso19794Check.problem(r, format("Finger")).orElse("").contains("version"));
    }

    @Test
    void rejectsARecordLengthThatDisagreesWithTheBytes() {
        byte[] r = Iso.fingerRecord(300);
        byte[] longer = Arrays.copyOf(r, r.length + 10);
        assertTrue(Iso19794Check.problem(longer, format("Finger")).orElse("").contains("record length"));
        assertTrue(Iso19794Check.problem(Arrays.copyOf(r, 12), format("Finger")).orElse("").contains("too short"));
    }

    @Test
    void rejectsARepresentationLongerThanTheRecord() {
        byte[] r = Iso.faceRecord(300);
        r[17] = 0x7F;
        assertTrue(Iso19794Check.problem(r, format("Face")).orElse("").contains("representation length"));
    }
}
