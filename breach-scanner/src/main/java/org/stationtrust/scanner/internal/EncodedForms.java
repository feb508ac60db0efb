package org.stationtrust.scanner.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Derives how a byte pattern looks once encoded: base64 and base64url at each of the three alignments a
 * value can have inside a longer encoded string (RFC 4648 §4, §5), hex, and base64 inside base64 (an SBI
 * {@code bioValue} is base64url inside a JWS payload that is itself base64url). An encoded character is
 * known only when all six (or four) of its bits come from known bytes.
 */
public final class EncodedForms {
    /** Below this many known bits a pattern would match random ciphertext or signatures. */
    public static final int MIN_KNOWN_BITS = 48;
    private static final byte[] STANDARD = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HEX_LOWER = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HEX_UPPER = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);

    private EncodedForms() {
    }

    /** The raw pattern, its hex forms, base64/base64url at 3 alignments, and (if nested) base64 of those. */
    public static List<MaskedPattern> of(MaskedPattern raw, boolean nested) {
        List<MaskedPattern> out = new ArrayList<>();
        out.add(raw);
        out.add(hex(raw, HEX_LOWER, "hex"));
        out.add(hex(raw, HEX_UPPER, "HEX"));
        List<MaskedPattern> once = base64All(raw, "");
        out.addAll(once);
        if (nested) {
            for (MaskedPattern inner : once) out.addAll(base64All(inner, " in "));
        }
        out.removeIf(p -> p.knownBits() < MIN_KNOWN_BITS);
        return out;
    }

    private static List<MaskedPattern> base64All(MaskedPattern p, String joiner) {
        List<MaskedPattern> out = new ArrayList<>();
        for (int alignment = 0; alignment < 3; alignment++) {
            String inner = p.form().equals("raw") ? "" : joiner + p.form();
            out.add(base64(p, alignment, STANDARD, "base64 (alignment " + alignment + ")" + inner));
            out.add(base64(p, alignment, URL, "base64url (alignment " + alignment + ")" + inner));
        }
        return out;
    }

    /** Encodes {@code alignment} unknown bytes followed by the pattern, padded with unknown bytes to whole groups. */
    static MaskedPattern base64(MaskedPattern p, int alignment, byte[] alphabet, String form) {
        int total = (alignment + p.length() + 2) / 3 * 3;
        byte[] bytes = new byte[total];
        boolean[] known = new boolean[total];
        for (int i = 0; i < p.length(); i++) {
            bytes[alignment + i] = p.byteAt(i);
            known[alignment + i] = p.knownAt(i);
        }
        byte[] chars = new byte[total / 3 * 4];
        boolean[] charKnown = new boolean[chars.length];
        for (int g = 0; g < total / 3; g++) {
            int bits = (bytes[3 * g] & 0xff) << 16 | (bytes[3 * g + 1] & 0xff) << 8 | (bytes[3 * g + 2] & 0xff);
            for (int j = 0; j < 4; j++) {
                chars[4 * g + j] = alphabet[(bits >> (18 - 6 * j)) & 63];
                int firstBit = 6 * j;
                int lastBit = firstBit + 5;
                charKnown[4 * g + j] = known[3 * g + firstBit / 8] && known[3 * g + lastBit / 8];
            }
        }
        return new MaskedPattern(p.kind(), form, chars, charKnown, 6, p.note());
    }

    static MaskedPattern hex(MaskedPattern p, byte[] digits, String form) {
        byte[] chars = new byte[p.length() * 2];
        boolean[] known = new boolean[chars.length];
        for (int i = 0; i < p.length(); i++) {
            int b = p.byteAt(i) & 0xff;
            chars[2 * i] = digits[b >> 4];
            chars[2 * i + 1] = digits[b & 15];
            known[2 * i] = p.knownAt(i);
            known[2 * i + 1] = p.knownAt(i);
        }
        return new MaskedPattern(p.kind(), form, chars, known, 4, p.note());
    }
}
