package org.stationtrust.ctk.internal.check;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.stationtrust.ctk.internal.iso.IsoRecord;

/**
 * The ISO 19794 fields that say who made a record and with what: capture device vendor and type,
 * the quality blocks' algorithm identifiers, and the face record's landmark points and descriptive
 * fields. Each message says what the field holds, which rule it breaks and what the device must write.
 *
 * <p>What MOSIP's compliance toolkit (1.4.x ISOStandardsValidator with biometrics-util's
 * Finger/Iris/FaceISOStandardsValidator) enforces here: the vendor and quality identifiers only as
 * 16-bit ranges, which every value passes, plus one real rule: its call passes vendor and type in
 * swapped order, so what it enforces is "vendor unreported (0) means type unreported (0)"; landmark
 * points are read but judged by stubs that accept anything. The face descriptive fields (gender, eye
 * and hair colour, spatial sampling level, temporal semantics, certification flag) it does check
 * against enumerations; those rules apply in the mosip profile.
 */
final class IsoProvenanceRules {
    /**
     * MPEG-4 facial feature points (ISO/IEC 14496-2 Annex C) by group: the highest point number of
     * groups 2-11, and group 12, the eye centres ISO/IEC 19794-5 adds (12.1 right, 12.2 left).
     */
    static final Map<Integer, Integer> MPEG4_POINTS = Map.ofEntries(Map.entry(2, 14), Map.entry(3, 14),
            Map.entry(4, 6), Map.entry(5, 4), Map.entry(6, 4), Map.entry(7, 1), Map.entry(8, 10), Map.entry(9, 15),
            Map.entry(10, 10), Map.entry(11, 6), Map.entry(12, 2));

    private IsoProvenanceRules() {
    }

    /** Capture device identifiers (both profiles: the standard's meaning, and what MOSIP's call enforces). */
    static void captureDevice(IsoRecord r, List<String> p) {
        IsoRecord.Capture c = r.capture();
        if (c.deviceVendor() == 0 && c.deviceType() != 0) {
            p.add(String.format("capture device type 0x%04X is given without a capture device vendor (0 = unreported);"
                    + " a type is numbered by its vendor, so write the vendor's IBIA identifier or leave the type 0"
                    + " (MOSIP ISO_VALIDATOR_014/087)", c.deviceType()));
        }
    }

    /**
     * Quality blocks whose algorithm cannot be looked up: an algorithm identifier without its vendor.
     * Advisory (our addition): MOSIP accepts any value, and a score is still usable without it.
     */
    static List<String> qualityAdvisories(IsoRecord r) {
        List<String> a = new ArrayList<>();
        for (IsoRecord.QualityBlock q : r.capture().qualityBlocks()) {
            if (q.algorithmVendor() == 0 && q.algorithmId() != 0) {
                a.add(String.format("quality block with score %d names algorithm 0x%04X but no algorithm vendor"
                        + " (0 = unreported), so nobody can tell which algorithm that is; write the vendor's IBIA"
                        + " identifier with it", q.score(), q.algorithmId()));
            }
        }
        return a;
    }

    /**
     * Landmark points (19794-5:2011 Table 12 and §5.6.6, both profiles): type 1 (MPEG-4 feature point)
     * or 2 (anthropometric 2D) with 2D image coordinates inside the image, or 3 (anthropometric 3D);
     * an MPEG-4 code names a feature point that exists. Ours: MOSIP reads them but checks nothing.
     */
    static void landmarks(IsoRecord r, List<String> p) {
        if (r.face() == null) {
            return;
        }
        List<IsoRecord.Landmark> points = r.face().landmarks();
        for (int i = 0; i < points.size(); i++) {
            IsoRecord.Landmark l = points.get(i);
            String which = "landmark point " + (i + 1) + " of " + points.size();
            if (l.type() < 1 || l.type() > 3) {
                p.add(which + " has type " + l.type() + ", which 19794-5:2011 Table 12 does not define (1 MPEG-4 feature"
                        + " point, 2 anthropometric 2D, 3 anthropometric 3D)");
                continue;
            }
            if (l.type() != 3 && (l.x() >= r.width() || l.y() >= r.height())) {
                p.add(which + " lies at (" + l.x() + ", " + l.y() + "), outside the " + r.width() + "x" + r.height()
                        + " image its coordinates refer to");
            }
        }
    }

    /**
     * MPEG-4 feature point codes outside our table of ISO/IEC 14496-2 Annex C and 19794-5 (groups 2-12). A warning,
     * not a failure: the table was written without the standards' text at hand, so a code it lacks may still be
     * valid, and a false red is worse than a missed advisory.
     */
    static List<String> landmarkCodeAdvisories(IsoRecord r) {
        List<String> out = new java.util.ArrayList<>();
        if (r.face() == null) {
            return out;
        }
        List<IsoRecord.Landmark> points = r.face().landmarks();
        for (int i = 0; i < points.size(); i++) {
            IsoRecord.Landmark l = points.get(i);
            if (l.type() != 1) {
                continue;
            }
            int group = l.code() >> 4;
            int point = l.code() & 0x0F;
            Integer last = MPEG4_POINTS.get(group);
            if (last == null || point < 1 || point > last) {
                out.add(String.format("landmark point %d of %d has MPEG-4 code 0x%02X (%d.%d), which is not in our table"
                        + " of feature points (ISO/IEC 14496-2 Annex C, 19794-5 groups 2-12); check that the group is in"
                        + " the high four bits and the point in the low four", i + 1, points.size(), l.code(), group,
                        point));
            }
        }
        return out;
    }

    /** The face record's descriptive fields as MOSIP's enumerations allow them (mosip profile). */
    static void mosipFace(IsoRecord r, List<String> p) {
        IsoRecord.FaceInfo f = r.face();
        if (f == null) {
            return;
        }
        if (r.certificationFlag() != 0) {
            p.add("certification flag " + r.certificationFlag() + "; MOSIP requires 0 for face (ISO_VALIDATOR_081)");
        }
        if (f.temporalSemantics() != 0) {
            p.add("temporal semantics " + f.temporalSemantics() + "; MOSIP requires 0, one still image (ISO_VALIDATOR_082)");
        }
        if (!List.of(0, 1, 2, 0xFF).contains(f.gender())) {
            p.add("gender " + f.gender() + " is not 0 unspecified, 1 male, 2 female or 255 unknown (ISO_VALIDATOR_093)");
        }
        if (f.eyeColour() > 7 && f.eyeColour() != 0xFF) {
            p.add("eye colour " + f.eyeColour() + " is not 0-7 or 255 (ISO_VALIDATOR_094)");
        }
        if (f.hairColour() > 7 && f.hairColour() != 0xFF) {
            p.add("hair colour " + f.hairColour() + " is not 0-7 or 255 (ISO_VALIDATOR_095)");
        }
        if (f.spatialSamplingLevel() > 7) {
            p.add("spatial sampling rate level " + f.spatialSamplingLevel() + " is not 0-7 (ISO_VALIDATOR_111)");
        }
        int tech = r.technology();
        if (tech > 6 && tech < 0x80) {
            p.add("capture device technology " + tech + " is not 0-6 or 128-255 (ISO_VALIDATOR_085)");
        }
    }

    /**
     * MOSIP's face colour rule (mosip profile, ISO_VALIDATOR_114): colour space 0 (unspecified) or 1
     * (24-bit RGB), and an image that decodes to colour; 19794-5 itself allows grey (3).
     */
    static void mosipFaceColour(IsoRecord r, int decodedComponents, List<String> p) {
        if (r.face() == null) {
            return;
        }
        int space = r.face().colourSpace();
        if ((space != 0 && space != 1) || decodedComponents < 3) {
            p.add("image colour space " + space + " with " + (decodedComponents < 3 ? "a grey" : "a colour")
                    + " image; MOSIP requires 24-bit RGB (colour space 1, or 0) for face (ISO_VALIDATOR_114)");
        }
    }

    /** MOSIP's iris rules beyond the standard's ranges (mosip profile). */
    static void mosipIris(IsoRecord r, boolean auth, List<String> p) {
        IsoRecord.IrisInfo i = r.iris();
        if (i == null) {
            return;
        }
        if (r.technology() > 1) {
            p.add("capture device technology " + r.technology() + " is not 0 (unknown) or 1 (CMOS/CCD) (ISO_VALIDATOR_047)");
        }
        if (r.capture().present() != r.representations()) {
            p.add("declares " + r.capture().present() + " eyes present for " + r.representations()
                    + " representations; MOSIP requires one eye per representation (ISO_VALIDATOR_044)");
        }
        if (r.certificationFlag() != 0) {
            p.add("certification flag " + r.certificationFlag() + "; MOSIP requires 0 for iris (ISO_VALIDATOR_042)");
        }
        if (r.capture().representationNumber() != 1) {
            p.add("representation number " + r.capture().representationNumber() + "; MOSIP requires 1 (ISO_VALIDATOR_054)");
        }
        if (!auth && r.position() == 0) {
            p.add("eye label 0 (unknown); MOSIP requires the eye (1 right, 2 left) for registration (ISO_VALIDATOR_055)");
        }
        if (i.horizontalOrientation() > 2 || i.verticalOrientation() > 2) {
            p.add("image orientation " + i.horizontalOrientation() + "/" + i.verticalOrientation()
                    + " (horizontal/vertical) is not 0 undefined, 1 base or 2 flipped (ISO_VALIDATOR_058/059)");
        }
    }

    /** MOSIP's finger rules beyond the standard's ranges (mosip profile). */
    static void mosipFinger(IsoRecord r, boolean auth, List<String> p) {
        if (!auth && r.position() == 0) {
            p.add("finger position 0 (unknown); MOSIP requires the finger (1-10) for registration (ISO_VALIDATOR_022)");
        }
        if (r.capture().present() != 1) {
            p.add("declares " + r.capture().present() + " fingers present; MOSIP requires one finger per record"
                    + " (ISO_VALIDATOR_009)");
        }
        int number = r.capture().representationNumber();
        if (number > 15) {
            p.add("representation number " + number + " is not 0-15 (ISO_VALIDATOR_023)");
        }
        int impression = r.impression();
        if (!(impression <= 15 || impression == 24 || impression == 28 || impression == 29)) {
            p.add("impression type " + impression + " is not one MOSIP accepts (0-15, 24, 28, 29; ISO_VALIDATOR_031)");
        }
    }
}
