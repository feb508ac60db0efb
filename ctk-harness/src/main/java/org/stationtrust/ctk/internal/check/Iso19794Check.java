package org.stationtrust.ctk.internal.check;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The general record header of each bioValue: ISO/IEC 19794-4:2011 (finger, "FIR", version "020"),
 * 19794-6:2011 (iris, "IIR", "020") or 19794-5:2011 (face, "FAC", "030", with the 2011 edition's
 * temporal semantics field: a 17-byte general header); record length equal to the
 * bytes received, at least one representation, and the first representation's length within the record.
 */
public final class Iso19794Check implements Check {

    /** Format identifier, version and general header length per modality. */
    record Format(String identifier, String version, int headerLength, String standard) {
    }

    static Optional<Format> formatOf(String bioType) {
        return switch (bioType) {
            case "Finger" -> Optional.of(new Format("FIR", "020", 16, "ISO/IEC 19794-4:2011"));
            case "Iris" -> Optional.of(new Format("IIR", "020", 16, "ISO/IEC 19794-6:2011"));
            case "Face" -> Optional.of(new Format("FAC", "030", 17, "ISO/IEC 19794-5:2011"));
            default -> Optional.empty();
        };
    }

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
        for (Observation.CaptureElement e : elements) {
            String where = "biometrics[" + e.index() + "].bioValue";
            String type = e.payload() == null ? "" : e.payload().path("bioType").asText("");
            Optional<Format> format = formatOf(type);
            if (format.isEmpty()) {
                problems.add(where + " has unknown bioType '" + type + "'");
            } else if (e.bioValue() == null) {
                problems.add(where + " could not be read: " + e.bioValueProblem());
            } else {
                problem(e.bioValue(), format.get()).ifPresent(p -> problems.add(where + " " + p));
            }
        }
        return Finding.of(name(), problems, elements.size() + " records have consistent ISO 19794 headers");
    }

    /** The first header problem of {@code record}, if any. */
    static Optional<String> problem(byte[] record, Format f) {
        if (record.length < f.headerLength() + 4) {
            return Optional.of("is " + record.length + " bytes, too short for a " + f.standard() + " record");
        }
        String id = new String(record, 0, 3, StandardCharsets.US_ASCII);
        if (!id.equals(f.identifier()) || record[3] != 0) {
            return Optional.of("format identifier is '" + printable(record, 0, 4) + "', expected '" + f.identifier()
                    + "\\0' (" + f.standard() + ")");
        }
        String version = new String(record, 4, 3, StandardCharsets.US_ASCII);
        if (!version.equals(f.version()) || record[7] != 0) {
            return Optional.of("version is '" + printable(record, 4, 4) + "', expected '" + f.version() + "\\0'");
        }
        ByteBuffer b = ByteBuffer.wrap(record);
        long declared = Integer.toUnsignedLong(b.getInt(8));
        if (declared != record.length) {
            return Optional.of("record length field says " + declared + " bytes but " + record.length + " arrived");
        }
        int representations = Short.toUnsignedInt(b.getShort(12));
        if (representations < 1) {
            return Optional.of("declares no representation");
        }
        long first = Integer.toUnsignedLong(b.getInt(f.headerLength()));
        if (first < 4 || first > record.length - f.headerLength()) {
            return Optional.of("first representation length " + first + " does not fit the "
                    + (record.length - f.headerLength()) + " bytes after the header");
        }
        return Optional.empty();
    }

    private static String printable(byte[] b, int from, int n) {
        StringBuilder s = new StringBuilder();
        for (int i = from; i < from + n; i++) {
            s.append(b[i] >= 32 && b[i] < 127 ? String.valueOf((char) b[i]) : String.format("\\x%02x", b[i]));
        }
        return s.toString();
    }
}
