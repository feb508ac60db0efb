package org.stationtrust.scanner.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.stationtrust.scanner.FindingKind;

/**
 * The byte signatures of biometric data. ISO/IEC 19794 records start with a 4-byte format identifier and a
 * 4-byte version ("010\0" for the 2005 editions, "020\0"/"030\0" for 2011); both are matched together, since
 * 4 bytes alone would match random ciphertext. JPEG: SOI + APP0 "JFIF", SOI + APP1 "Exif", or SOI + DQT
 * with the usual 8-bit table lengths (ITU T.81 §B.2); JPEG 2000: the JP2 signature box (ISO 15444-1 §I.5.1).
 */
public final class Signatures {
    private static final String[] VERSIONS = {"010\0", "020\0", "030\0"};

    private Signatures() {
    }

    /** Every biometric signature in every encoded form, nested base64 included. */
    public static List<MaskedPattern> biometric() {
        List<MaskedPattern> out = new ArrayList<>();
        for (MaskedPattern raw : rawBiometric()) out.addAll(EncodedForms.of(raw, true));
        return out;
    }

    static List<MaskedPattern> rawBiometric() {
        List<MaskedPattern> raw = new ArrayList<>();
        for (String version : VERSIONS) {
            raw.add(MaskedPattern.exact(FindingKind.ISO_19794_4_FINGER, ascii("FIR\0" + version)));
            raw.add(MaskedPattern.exact(FindingKind.ISO_19794_5_FACE, ascii("FAC\0" + version)));
            raw.add(MaskedPattern.exact(FindingKind.ISO_19794_6_IRIS, ascii("IIR\0" + version)));
        }
        raw.add(jpeg("FFD8FFE0....4A46494600"));        // JFIF APP0, any segment length
        raw.add(jpeg("FFD8FFE1....457869660000"));      // Exif APP1
        raw.add(jpeg("FFD8FFDB004300"));                // one 8-bit quantization table
        raw.add(jpeg("FFD8FFDB008400"));                // two 8-bit quantization tables
        raw.add(MaskedPattern.exact(FindingKind.JPEG2000_IMAGE, hexBytes("0000000C6A5020200D0A870A")));
        return raw;
    }

    private static MaskedPattern jpeg(String hexWithDots) {
        int n = hexWithDots.length() / 2;
        byte[] bytes = new byte[n];
        boolean[] known = new boolean[n];
        for (int i = 0; i < n; i++) {
            String pair = hexWithDots.substring(2 * i, 2 * i + 2);
            known[i] = !pair.equals("..");
            if (known[i]) bytes[i] = (byte) Integer.parseInt(pair, 16);
        }
        return MaskedPattern.withWildcards(FindingKind.JPEG_IMAGE, bytes, known);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] hexBytes(String hex) {
        byte[] b = new byte[hex.length() / 2];
        for (int i = 0; i < b.length; i++) b[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
        return b;
    }
}
