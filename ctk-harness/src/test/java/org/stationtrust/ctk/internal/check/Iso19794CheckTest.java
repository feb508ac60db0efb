package org.stationtrust.ctk.internal.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.stationtrust.ctk.internal.iso.ImageDecoder;
import org.stationtrust.ctk.internal.iso.IsoFormatException;
import org.stationtrust.ctk.internal.iso.IsoRecord;
import org.stationtrust.ctk.internal.iso.IsoRecordReader;
import org.stationtrust.ctk.internal.testing.IsoBuilder;

/**
 * ISO 19794 records read field by field and decoded: what a compliant device sends passes, and each
 * broken field or image fails naming it, per modality, purpose and profile.
 */
class Iso19794CheckTest {
    static final byte[] FINGER_LOSSLESS = IsoBuilder.jpeg2000(IsoBuilder.pattern(80, 100, false), true);
    static final byte[] FINGER_LOSSY = IsoBuilder.jpeg2000(IsoBuilder.pattern(80, 100, false), false);

    /** The problems the check finds in {@code record} (empty = passes). */
    static List<String> judge(byte[] record, String type, String subType, boolean mosip, boolean auth) {
        List<String> problems = new ArrayList<>();
        try {
            IsoRecord r = IsoRecordReader.read(record, type);
            problems.addAll(Iso19794Check.fields(r, subType, mosip, auth));
            ImageDecoder.Decoded d = ImageDecoder.decode(r);
            problems.addAll(Iso19794Check.image(r, d));
            if (mosip) {
                IsoProvenanceRules.mosipFaceColour(r, d.colourComponents(), problems);
            }
        } catch (IsoFormatException e) {
            problems.add(e.getMessage());
        }
        return problems;
    }

    static Stream<Arguments> records() {
        Supplier<byte[]> regFinger = () -> IsoBuilder.finger(7, 5, FINGER_LOSSLESS, 80, 100, 1);
        byte[] raw = new byte[80 * 100];
        for (int i = 0; i < raw.length; i++) {
            raw[i] = (byte) (i * 7);
        }
        byte[] iris = IsoBuilder.jpeg2000(IsoBuilder.pattern(96, 72, false), true);
        byte[] irisLossy = IsoBuilder.jpeg2000(IsoBuilder.pattern(96, 72, false), false);
        byte[] face = IsoBuilder.jpeg2000(IsoBuilder.rgb(IsoBuilder.pattern(96, 120, false)), true);
        byte[] faceLossy = IsoBuilder.jpeg2000(IsoBuilder.rgb(IsoBuilder.pattern(96, 120, false)), false);
        byte[] faceGrey = IsoBuilder.jpeg2000(IsoBuilder.pattern(96, 120, false), true);
        return Stream.of(
                row("finger registration, JPEG 2000 lossless", regFinger.get(), "Finger", "Left IndexFinger", true, false, null),
                row("finger authentication, JPEG 2000 lossy", IsoBuilder.finger(0, 4, FINGER_LOSSY, 80, 100, 1), "Finger",
                        "UNKNOWN", true, true, null),
                row("finger raw pixels pass the spec profile", IsoBuilder.finger(7, 0, raw, 80, 100, 1), "Finger",
                        "Left IndexFinger", false, false, null),
                row("finger raw pixels fail MOSIP's registration rule", IsoBuilder.finger(7, 0, raw, 80, 100, 1), "Finger",
                        "Left IndexFinger", true, false, "compression 0 is not what MOSIP requires for registration"),
                row("finger lossless where MOSIP wants lossy for authentication", regFinger.get(), "Finger", "UNKNOWN",
                        true, true, "compression 5 is not what MOSIP requires for authentication"),
                row("finger position for another finger", regFinger.get(), "Finger", "Right Thumb", false, false,
                        "finger position 7 does not match bioSubType 'Right Thumb' (1)"),
                row("image smaller than declared", IsoBuilder.finger(7, 5, FINGER_LOSSLESS, 160, 100, 1), "Finger",
                        "Left IndexFinger", false, false, "image decodes to 80x100 but the header declares 160x100"),
                row("declared lossless, codestream lossy", IsoBuilder.finger(7, 5, FINGER_LOSSY, 80, 100, 1), "Finger",
                        "Left IndexFinger", false, false, "codestream is lossy (9-7 wavelet)"),
                row("blank image", IsoBuilder.finger(7, 5, IsoBuilder.jpeg2000(IsoBuilder.pattern(80, 100, true), true),
                        80, 100, 1), "Finger", "Left IndexFinger", false, false, "image is blank"),
                row("two representations declared", IsoBuilder.finger(7, 5, FINGER_LOSSLESS, 80, 100, 2), "Finger",
                        "Left IndexFinger", true, false, "MOSIP requires exactly one"),
                row("raw pixels fewer than declared", IsoBuilder.finger(7, 0, Arrays.copyOf(raw, 500), 80, 100, 1),
                        "Finger", "Left IndexFinger", false, false, "8-bit pixels are 8000 bytes"),
                row("WSQ that is not WSQ", IsoBuilder.finger(7, 2, new byte[] {1, 2, 3, 4, 5, 6}, 80, 100, 1), "Finger",
                        "Left IndexFinger", false, true, "WSQ data that does not decode"),
                row("truncated record", Arrays.copyOf(regFinger.get(), 40), "Finger", "Left IndexFinger", false, false,
                        "record length field says"),
                row("iris registration, cropped lossless JPEG 2000", IsoBuilder.iris(2, 3, 0x0A, 1, iris, 96, 72), "Iris",
                        "Left", true, false, null),
                row("iris authentication, cropped and masked lossy", IsoBuilder.iris(1, 7, 0x0A, 2, irisLossy, 96, 72),
                        "Iris", "Right", true, true, null),
                row("iris cropped and masked for registration", IsoBuilder.iris(2, 7, 0x0A, 1, iris, 96, 72), "Iris",
                        "Left", true, false, "image type 7, MOSIP requires 3 (cropped) for registration"),
                row("iris of the other eye", IsoBuilder.iris(1, 3, 0x0A, 1, iris, 96, 72), "Iris", "Left", false, false,
                        "eye label 1 does not match bioSubType 'Left' (2)"),
                row("face registration, JPEG 2000 lossless", IsoBuilder.face(2, face, 96, 120), "Face", "UNKNOWN", true,
                        false, null),
                row("face authentication, JPEG 2000 lossy", IsoBuilder.face(1, faceLossy, 96, 120), "Face", "UNKNOWN",
                        true, true, null),
                row("face lossless for authentication", IsoBuilder.face(2, face, 96, 120), "Face", "UNKNOWN", true, true,
                        "MOSIP requires 1 (JPEG 2000 lossy) for authentication"),
                row("finger record sent as iris", regFinger.get(), "Iris", "Left", false, false, "format identifier is 'FIR"),
                // capture device identifiers: a type is numbered by its vendor (MOSIP ISO_VALIDATOR_014)
                row("device type with its vendor", IsoBuilder.finger(7, 5, FINGER_LOSSLESS, 80, 100, 1,
                        new IsoBuilder.Provenance(0x0033, 0x0102, 0, 0)), "Finger", "Left IndexFinger", true, false, null),
                row("device type without a vendor (spec)", IsoBuilder.finger(7, 5, FINGER_LOSSLESS, 80, 100, 1,
                        new IsoBuilder.Provenance(0, 0x0102, 0, 0)), "Finger", "Left IndexFinger", false, false,
                        "capture device type 0x0102 is given without a capture device vendor"),
                row("device type without a vendor (mosip)", IsoBuilder.finger(7, 5, FINGER_LOSSLESS, 80, 100, 1,
                        new IsoBuilder.Provenance(0, 0x0102, 0, 0)), "Finger", "Left IndexFinger", true, false,
                        "ISO_VALIDATOR_014"),
                // MOSIP's finger rules beyond the standard
                row("unknown finger for registration passes the spec profile", IsoBuilder.finger(0, 5, FINGER_LOSSLESS, 80,
                        100, 1), "Finger", "UNKNOWN", false, false, null),
                row("unknown finger for registration fails the mosip profile", IsoBuilder.finger(0, 5, FINGER_LOSSLESS, 80,
                        100, 1), "Finger", "UNKNOWN", true, false, "MOSIP requires the finger (1-10) for registration"),
                row("two fingers present in a finger record fails the mosip profile", fingersPresent(regFinger.get(), 2),
                        "Finger", "Left IndexFinger", true, false, "MOSIP requires one finger per record (ISO_VALIDATOR_009)"),
                row("certified iris record passes the spec profile", certified(IsoBuilder.iris(2, 3, 0x0A, 1, iris, 96, 72)),
                        "Iris", "Left", false, false, null),
                row("certified iris record fails the mosip profile", certified(IsoBuilder.iris(2, 3, 0x0A, 1, iris, 96, 72)),
                        "Iris", "Left", true, false, "certification flag 1; MOSIP requires 0 for iris"),
                // MOSIP's iris rules beyond the standard
                row("unknown eye for registration passes the spec profile", IsoBuilder.iris(0, 3, 0x0A, 1, iris, 96, 72),
                        "Iris", "UNKNOWN", false, false, null),
                row("unknown eye for registration fails the mosip profile", IsoBuilder.iris(0, 3, 0x0A, 1, iris, 96, 72),
                        "Iris", "UNKNOWN", true, false, "MOSIP requires the eye (1 right, 2 left) for registration"),
                // face landmark points (ours: MOSIP reads them but checks nothing)
                row("face with eye centres and nose tip", IsoBuilder.face(2, face, 96, 120, List.of(
                        new IsoBuilder.Landmark(1, 0xC1, 37, 47), new IsoBuilder.Landmark(1, 0xC2, 59, 47),
                        new IsoBuilder.Landmark(1, 0x93, 48, 62)), 0), "Face", "UNKNOWN", true, false, null),
                row("landmark outside the image", IsoBuilder.face(2, face, 96, 120, List.of(
                        new IsoBuilder.Landmark(1, 0xC1, 37, 470)), 0), "Face", "UNKNOWN", false, false,
                        "landmark point 1 of 1 lies at (37, 470), outside the 96x120 image"),
                row("landmark whose MPEG-4 code is not in our table is not a failure", IsoBuilder.face(2, face, 96, 120,
                        List.of(new IsoBuilder.Landmark(1, 0x7F, 10, 10)), 0), "Face", "UNKNOWN", false, false, null),
                row("landmark of an undefined type", IsoBuilder.face(2, face, 96, 120, List.of(
                        new IsoBuilder.Landmark(9, 0x11, 10, 10)), 0), "Face", "UNKNOWN", false, false,
                        "has type 9, which 19794-5:2011 Table 12 does not define"),
                // MOSIP's face enumerations (mosip profile only)
                // MOSIP's face colour rule (ISO_VALIDATOR_114); 19794-5 allows grey
                row("grey face passes the spec profile", IsoBuilder.face(2, faceGrey, 96, 120, List.of(), 0, 3), "Face",
                        "UNKNOWN", false, false, null),
                row("grey face fails the mosip profile", IsoBuilder.face(2, faceGrey, 96, 120, List.of(), 0, 3), "Face",
                        "UNKNOWN", true, false, "image colour space 3 with a grey image; MOSIP requires 24-bit RGB"),
                row("grey image declared RGB fails the mosip profile", IsoBuilder.face(2, faceGrey, 96, 120, List.of(), 0, 1),
                        "Face", "UNKNOWN", true, false, "image colour space 1 with a grey image"),
                row("gender outside the enumeration passes the spec profile", IsoBuilder.face(2, face, 96, 120, List.of(), 3),
                        "Face", "UNKNOWN", false, false, null),
                row("gender outside the enumeration fails the mosip profile", IsoBuilder.face(2, face, 96, 120, List.of(), 3),
                        "Face", "UNKNOWN", true, false, "gender 3 is not 0 unspecified"));
    }

    /** The record with the general header's fingers/eyes present byte (offset 15) set to {@code n}. */
    private static byte[] fingersPresent(byte[] record, int n) {
        byte[] r = record.clone();
        r[15] = (byte) n;
        return r;
    }

    /**
     * A 19794-4/-6 record with the certification flag set and an empty certification block list (one
     * count byte after the single quality block), both lengths grown by that byte.
     */
    private static byte[] certified(byte[] record) {
        int at = 16 + 4 + 9 + 1 + 2 + 2 + 1 + 5;
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(record.length + 1);
        b.put(record, 0, at).put((byte) 0).put(record, at, record.length - at);
        byte[] r = b.array();
        r[14] = 1;
        java.nio.ByteBuffer.wrap(r).putInt(8, r.length).putInt(16, r.length - 16);
        return r;
    }

    private static Arguments row(String name, byte[] record, String type, String subType, boolean mosip, boolean auth,
                                 String problem) {
        return Arguments.of(name, record, type, subType, mosip, auth, problem);
    }

    /** A quality algorithm named without its vendor cannot be looked up: advisory, not a failure. */
    @org.junit.jupiter.api.Test
    void aQualityAlgorithmWithoutItsVendorIsAWarningNotAFailure() throws IsoFormatException {
        byte[] named = IsoBuilder.finger(7, 5, FINGER_LOSSLESS, 80, 100, 1, new IsoBuilder.Provenance(0, 0, 0, 0x0007));
        byte[] both = IsoBuilder.finger(7, 5, FINGER_LOSSLESS, 80, 100, 1, new IsoBuilder.Provenance(0, 0, 0x000F, 0x0007));
        List<String> advisories = IsoProvenanceRules.qualityAdvisories(IsoRecordReader.read(named, "Finger"));
        assertEquals(1, advisories.size(), advisories.toString());
        assertTrue(advisories.get(0).contains("names algorithm 0x0007 but no algorithm vendor"), advisories.get(0));
        assertEquals(List.of(), IsoProvenanceRules.qualityAdvisories(IsoRecordReader.read(both, "Finger")));
        assertEquals(List.of(), judge(named, "Finger", "Left IndexFinger", true, false));

        org.stationtrust.ctk.internal.testing.TestDevice device = org.stationtrust.ctk.internal.testing.TestDevice.create();
        Observation o = device.goodLeftSlap();
        for (int i = 0; i < o.elements.size(); i++) {
            Observation.CaptureElement old = o.elements.get(i);
            byte[] record = IsoBuilder.finger(7 + i, 5, FINGER_LOSSLESS, 80, 100, 1, new IsoBuilder.Provenance(0, 0, 0, 0x0007));
            o.elements.set(i, device.element(old.request(), old.index(), (com.fasterxml.jackson.databind.node.ObjectNode) old.payload(), old.hash(), record));
        }
        Finding f = new Iso19794Check().judge(o, device.rules(org.stationtrust.ctk.Profile.MOSIP));
        assertEquals(Finding.Status.WARN, f.status(), f.message());
        assertTrue(f.message().contains("advisory (our addition)"), f.message());
    }

    /** A feature point code our table lacks may still be valid (the table is ours): advisory, not a failure. */
    @org.junit.jupiter.api.Test
    void aLandmarkCodeOutsideOurTableIsAnAdvisory() throws IsoFormatException {
        byte[] face = IsoBuilder.face(2, IsoBuilder.jpeg2000(IsoBuilder.rgb(IsoBuilder.pattern(96, 120, false)), true), 96, 120, List.of(new IsoBuilder.Landmark(1, 0x7F, 10, 10),
                new IsoBuilder.Landmark(1, 0xC1, 37, 47)), 0);
        List<String> advisories = IsoProvenanceRules.landmarkCodeAdvisories(IsoRecordReader.read(face, "Face"));
        assertEquals(1, advisories.size(), advisories.toString());
        assertTrue(advisories.get(0).contains("MPEG-4 code 0x7F (7.15), which is not in our table"), advisories.get(0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("records")
    void eachFieldAndTheDecodedImageAreJudged(String name, byte[] record, String type, String subType, boolean mosip,
                                              boolean auth, String problem) {
        List<String> found = judge(record, type, subType, mosip, auth);
        if (problem == null) {
            assertEquals(List.of(), found, name);
        } else {
            assertTrue(found.stream().anyMatch(p -> p.contains(problem)), name + ": expected '" + problem + "' in " + found);
        }
    }
}
