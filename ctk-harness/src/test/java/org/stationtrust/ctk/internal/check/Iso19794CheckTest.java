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
import org.stationtrust.ctk.testing.IsoBuilder;

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
            problems.addAll(Iso19794Check.image(r, ImageDecoder.decode(r)));
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
        byte[] face = IsoBuilder.jpeg2000(IsoBuilder.pattern(96, 120, false), true);
        byte[] faceLossy = IsoBuilder.jpeg2000(IsoBuilder.pattern(96, 120, false), false);
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
                row("finger record sent as iris", regFinger.get(), "Iris", "Left", false, false, "format identifier is 'FIR"));
    }

    private static Arguments row(String name, byte[] record, String type, String subType, boolean mosip, boolean auth,
                                 String problem) {
        return Arguments.of(name, record, type, subType, mosip, auth, problem);
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
