package org.stationtrust.scanner.internal;

import java.util.Arrays;
import org.stationtrust.scanner.FindingKind;

/**
 * A byte pattern in which some positions are unknown (wildcards): a length field inside a JPEG header, or
 * the base64 characters that also carry bits of the bytes around an encoded value. Leading and trailing
 * unknown positions are trimmed at construction, so a pattern always starts and ends with a known byte.
 */
public final class MaskedPattern {
    private final FindingKind kind;
    private final String form;
    private final byte[] bytes;
    private final boolean[] known;
    private final int knownBits;
    private final String note;

    MaskedPattern(FindingKind kind, String form, byte[] bytes, boolean[] known, int bitsPerUnit) {
        this(kind, form, bytes, known, bitsPerUnit, "");
    }

    MaskedPattern(FindingKind kind, String form, byte[] bytes, boolean[] known, int bitsPerUnit, String note) {
        int first = 0;
        int last = bytes.length - 1;
        while (first <= last && !known[first]) first++;
        while (last >= first && !known[last]) last--;
        if (first > last) throw new IllegalArgumentException("pattern has no known byte");
        this.kind = kind;
        this.form = form;
        this.bytes = Arrays.copyOfRange(bytes, first, last + 1);
        this.known = Arrays.copyOfRange(known, first, last + 1);
        int count = 0;
        for (boolean k : this.known) if (k) count++;
        this.knownBits = count * bitsPerUnit;
        this.note = note;
    }

    /** A value searched for as it is: every byte known. */
    public static MaskedPattern exact(FindingKind kind, byte[] value) {
        boolean[] all = new boolean[value.length];
        Arrays.fill(all, true);
        return new MaskedPattern(kind, "raw", value, all, 8);
    }

    /** A value searched for as it is, with a note for the report (e.g. which list entry it is). */
    public static MaskedPattern exact(FindingKind kind, byte[] value, String note) {
        boolean[] all = new boolean[value.length];
        Arrays.fill(all, true);
        return new MaskedPattern(kind, "raw", value, all, 8, note);
    }

    /** A value with unknown positions ({@code known[i] == false}). */
    public static MaskedPattern withWildcards(FindingKind kind, byte[] value, boolean[] known) {
        return new MaskedPattern(kind, "raw", value.clone(), known.clone(), 8);
    }

    public FindingKind kind() {
        return kind;
    }

    public String form() {
        return form;
    }

    /** What the report says about how the value was written, e.g. {@code base64url (alignment 2), list entry 3}. */
    public String describe() {
        return note.isEmpty() ? form : form + ", " + note;
    }

    String note() {
        return note;
    }

    public int length() {
        return bytes.length;
    }

    /** Entropy of the known positions: a pattern with few known bits would match random data. */
    public int knownBits() {
        return knownBits;
    }

    byte first() {
        return bytes[0];
    }

    byte byteAt(int i) {
        return bytes[i];
    }

    boolean knownAt(int i) {
        return known[i];
    }

    boolean matchesAt(byte[] data, int at) {
        for (int i = 0; i < bytes.length; i++) {
            if (known[i] && data[at + i] != bytes[i]) return false;
        }
        return true;
    }
}
