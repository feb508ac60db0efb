package org.stationtrust.ctk.internal.check;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.stationtrust.ctk.internal.iso.ImageDecoder;
import org.stationtrust.ctk.internal.iso.IsoFormatException;
import org.stationtrust.ctk.internal.iso.IsoRecord;
import org.stationtrust.ctk.internal.iso.IsoRecordReader;

/**
 * Each bioValue is an ISO/IEC 19794 record read field by field (19794-4:2011 finger, 19794-6:2011
 * iris, 19794-5:2011 face) with every field checked against the standard: header, lengths, capture
 * time, quality blocks, finger position or eye label matching the bioSubType, sampling rates, bit
 * depth, encoding and image type. Its image is decoded to prove it is an image of the declared size,
 * lossless when the header says so, and not blank. In the mosip profile the compression must also be
 * what MOSIP requires for the purpose (registration lossless JPEG 2000; authentication lossy JPEG 2000,
 * or WSQ for fingers), with exactly one representation. The capture device, quality block and face
 * landmark fields are judged by {@link IsoProvenanceRules}.
 */
public final class Iso19794Check implements Check {
    static final Map<String, Integer> FINGER_POSITIONS = Map.ofEntries(Map.entry("UNKNOWN", 0),
            Map.entry("Right Thumb", 1), Map.entry("Right IndexFinger", 2), Map.entry("Right MiddleFinger", 3),
            Map.entry("Right RingFinger", 4), Map.entry("Right LittleFinger", 5), Map.entry("Left Thumb", 6),
            Map.entry("Left IndexFinger", 7), Map.entry("Left MiddleFinger", 8), Map.entry("Left RingFinger", 9),
            Map.entry("Left LittleFinger", 10));
    static final Map<String, Integer> EYE_LABELS = Map.of("UNKNOWN", 0, "Right", 1, "Left", 2);

    @Override
    public String name() {
        return "iso-19794";
    }

    @Override
    public Finding judge(Observation o, JudgingRules rules) {
        List<Observation.CaptureElement> elements = o.successfulElements();
        if (elements.isEmpty()) {
            return Finding.notEvaluated(name(), "no successful capture element");
        }
        List<String> problems = new ArrayList<>();
        List<String> advisories = new ArrayList<>();
        java.util.Set<String> encodings = new java.util.TreeSet<>();
        long decodeNanos = 0;
        int decoded = 0;
        int minRange = 255;
        boolean auth = "Auth".equals(SchemaCheck.purposeOf(o));
        for (Observation.CaptureElement e : elements) {
            String where = "biometrics[" + e.index() + "].bioValue";
            String type = e.payload() == null ? "" : e.payload().path("bioType").asText("");
            if (e.bioValue() == null) {
                problems.add(where + " could not be read: " + e.bioValueProblem());
                continue;
            }
            try {
                IsoRecord r = IsoRecordReader.read(e.bioValue(), type);
                String subType = e.payload().path("bioSubType").asText("UNKNOWN");
                fields(r, subType, rules.mosip(), auth).forEach(p -> problems.add(where + " " + p));
                IsoProvenanceRules.qualityAdvisories(r).forEach(a -> advisories.add(where + " " + a));
                IsoProvenanceRules.landmarkCodeAdvisories(r).forEach(a -> advisories.add(where + " " + a));
                encodings.add(r.codec().name());
                ImageDecoder.Decoded d = ImageDecoder.decode(r);
                decodeNanos += d.decodeNanos();
                decoded++;
                minRange = Math.min(minRange, d.dynamicRange());
                image(r, d).forEach(p -> problems.add(where + " " + p));
                if (rules.mosip()) {
                    List<String> colour = new ArrayList<>();
                    IsoProvenanceRules.mosipFaceColour(r, d.colourComponents(), colour);
                    colour.forEach(p -> problems.add(where + " " + p));
                }
            } catch (IsoFormatException ex) {
                problems.add(where + " " + ex.getMessage());
            }
        }
        String ok = String.format(Locale.ROOT, "%d records read field by field; %d images (%s) decoded to their declared "
                + "size (decode %.1f ms per record), grey-level range at least %d", elements.size(), decoded,
                String.join(", ", encodings), decoded == 0 ? 0.0 : decodeNanos / 1e6 / decoded, minRange);
        if (problems.isEmpty() && !advisories.isEmpty()) {
            return Finding.warn(name(), ok + "; advisory (our addition): " + String.join("; ", advisories));
        }
        return Finding.of(name(), problems, ok);
    }

    /** Field checks of the standard (both profiles) and MOSIP's per-purpose rules (mosip profile). */
    static List<String> fields(IsoRecord r, String subType, boolean mosip, boolean auth) {
        List<String> p = new ArrayList<>();
        if (mosip && r.representations() != 1) {
            p.add("has " + r.representations() + " representations; MOSIP requires exactly one");
        }
        int[] t = r.captureTime();
        boolean unset = t[0] == 0xFFFF;
        if (!unset && (t[0] < 2000 || t[1] < 1 || t[1] > 12 || t[2] < 1 || t[2] > 31 || t[3] > 23 || t[4] > 59
                || t[5] > 59 || (t[6] > 999 && t[6] != 0xFFFF))) {
            p.add(String.format(Locale.ROOT, "capture date-time %04d-%02d-%02d %02d:%02d:%02d.%03d is not a valid UTC time",
                    t[0], t[1], t[2], t[3], t[4], t[5], t[6]));
        }
        for (int q : r.qualities()) {
            if (q > 100 && q != 255) {
                p.add("quality block score " + q + " is outside 0-100 (255 = failed)");
            }
        }
        if (r.width() < 1 || r.height() < 1) {
            p.add("declares a " + r.width() + "x" + r.height() + " image");
        }
        IsoProvenanceRules.captureDevice(r, p);
        switch (r.modality()) {
            case "Finger" -> finger(r, subType, mosip, auth, p);
            case "Iris" -> iris(r, subType, mosip, auth, p);
            default -> face(r, mosip, auth, p);
        }
        return p;
    }

    private static void finger(IsoRecord r, String subType, boolean mosip, boolean auth, List<String> p) {
        if (r.technology() > 20) {
            p.add("capture device technology " + r.technology() + " is outside 0-20");
        }
        Integer expected = FINGER_POSITIONS.get(subType);
        if (r.position() > 10) {
            p.add("finger position " + r.position() + " is not a single finger (0-10)");
        } else if (expected != null && expected != 0 && r.position() != expected) {
            p.add("finger position " + r.position() + " does not match bioSubType '" + subType + "' (" + expected + ")");
        }
        if (r.scaleUnits() != 1 && r.scaleUnits() != 2) {
            p.add("scale units " + r.scaleUnits() + " is neither 1 (ppi) nor 2 (ppcm)");
        }
        List<Integer> rates = r.samplingRates();
        if (rates.get(2) > rates.get(0) || rates.get(3) > rates.get(1)) {
            p.add("image sampling rate " + rates.get(2) + "x" + rates.get(3) + " exceeds the scan rate " + rates.get(0)
                    + "x" + rates.get(1));
        }
        if (mosip && r.scaleUnits() == 1 && rates.stream().anyMatch(x -> x < 490 || x > 1010)) {
            p.add("sampling rates (scan " + rates.get(0) + "x" + rates.get(1) + ", image " + rates.get(2) + "x" + rates.get(3)
                    + " ppi) are not all within MOSIP's 490-1010 ppi (ISO_VALIDATOR_025-028)");
        }
        if (r.bitDepth() != 8) {
            p.add("bit depth " + r.bitDepth() + ", expected 8-bit grey");
        }
        if (r.impression() > 29 || (r.impression() > 15 && r.impression() < 20)) {
            p.add("impression type " + r.impression() + " is not defined");
        }
        if (mosip) {
            IsoProvenanceRules.mosipFinger(r, auth, p);
            boolean allowed = auth ? r.encoding() == 4 || r.encoding() == 2 : r.encoding() == 5;
            if (!allowed) {
                p.add("compression " + r.encoding() + " is not what MOSIP requires for " + (auth
                        ? "authentication (4 JPEG 2000 lossy or 2 WSQ)" : "registration (5 JPEG 2000 lossless)"));
            }
        }
    }

    private static void iris(IsoRecord r, String subType, boolean mosip, boolean auth, List<String> p) {
        Integer expected = EYE_LABELS.get(subType);
        if (r.position() > 2) {
            p.add("eye label " + r.position() + " is outside 0-2");
        } else if (expected != null && expected != 0 && r.position() != expected) {
            p.add("eye label " + r.position() + " does not match bioSubType '" + subType + "' (" + expected + ")");
        }
        if (!List.of(1, 2, 3, 7).contains(r.imageType())) {
            p.add("image type " + r.imageType() + " is not 1, 2, 3 or 7");
        }
        if (!List.of(2, 0x0A, 0x0E).contains(r.encoding())) {
            p.add("image format " + r.encoding() + " is not MONO_RAW (2), MONO_JPEG2000 (10) or MONO_PNG (14)");
        }
        if (r.bitDepth() != 8) {
            p.add("bit depth " + r.bitDepth() + ", expected 8-bit grey");
        }
        if (mosip) {
            IsoProvenanceRules.mosipIris(r, auth, p);
            if (r.encoding() != 0x0A) {
                p.add("image format " + r.encoding() + " is not MONO_JPEG2000 (10), which MOSIP requires");
            }
            int history = auth ? 2 : 1;
            int type = auth ? 7 : 3;
            if (r.compressionHistory() != history) {
                p.add("compression history " + r.compressionHistory() + ", MOSIP requires " + history
                        + (auth ? " (lossy) for authentication" : " (lossless) for registration"));
            }
            if (r.imageType() != type) {
                p.add("image type " + r.imageType() + ", MOSIP requires " + type
                        + (auth ? " (cropped and masked) for authentication" : " (cropped) for registration"));
            }
        }
    }

    private static void face(IsoRecord r, boolean mosip, boolean auth, List<String> p) {
        if (!(r.imageType() <= 3 || (r.imageType() >= 0x80 && r.imageType() <= 0x82))) {
            p.add("face image type " + r.imageType() + " is not defined");
        }
        if (r.encoding() > 3) {
            p.add("image data type " + r.encoding() + " is not 0-3");
        }
        IsoProvenanceRules.landmarks(r, p);
        if (mosip) {
            IsoProvenanceRules.mosipFace(r, p);
        }
        if (mosip && r.encoding() != (auth ? 1 : 2)) {
            p.add("image data type " + r.encoding() + ", MOSIP requires " + (auth ? "1 (JPEG 2000 lossy) for authentication"
                    : "2 (JPEG 2000 lossless) for registration"));
        }
    }

    /** The decoded image against the header, and the image-level facts (our addition). */
    static List<String> image(IsoRecord r, ImageDecoder.Decoded d) {
        List<String> p = new ArrayList<>();
        if (d.width() != r.width() || d.height() != r.height()) {
            p.add("image decodes to " + d.width() + "x" + d.height() + " but the header declares " + r.width() + "x" + r.height());
        }
        Boolean declared = r.declaredLossless();
        if (declared != null && d.lossless() != null && !declared.equals(d.lossless())) {
            p.add("header declares a " + (declared ? "lossless" : "lossy") + " image but the JPEG 2000 codestream is "
                    + (d.lossless() ? "lossless (5-3 wavelet)" : "lossy (9-7 wavelet)"));
        }
        if (d.distinctLevels() <= 1) {
            p.add("image is blank: every pixel has grey level " + d.minLevel() + " (constant image)");
        }
        return p;
    }
}
