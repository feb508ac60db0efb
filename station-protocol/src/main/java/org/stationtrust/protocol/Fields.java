package org.stationtrust.protocol;

import java.util.regex.Pattern;

/** Field rules the messages share; each failure is an {@link IllegalArgumentException} naming the field. */
public final class Fields {
    /**
     * A JWS {@code kid} and a packet's {@code machineId}: the machine id the server gave (32 hex today), or, on a
     * station not enrolled yet, the hex Name of its machine key (68 hex).
     */
    public static final Pattern KID = Pattern.compile("[A-Za-z0-9_-]{1,80}");
    /** Packet, event and machine ids: what may be part of a path or a key. */
    public static final Pattern ID = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");

    private Fields() {
    }

    /** A required, non-blank text without control characters, at most {@code maxLength} characters. */
    public static String requireText(String field, String value, int maxLength) {
        if (value == null || value.isBlank()) throw new IllegalArgumentException("Field '" + field + "' is required");
        if (value.length() > maxLength) {
            throw new IllegalArgumentException("Field '" + field + "' is longer than " + maxLength + " characters");
        }
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                throw new IllegalArgumentException("Field '" + field + "' contains a control character");
            }
        }
        return value;
    }

    /** A required id matching {@link #ID}. */
    public static String requireId(String field, String value) {
        if (value == null || !ID.matcher(value).matches()) {
            throw new IllegalArgumentException("Field '" + field + "' must be 1-64 characters of A-Z a-z 0-9 _ . : -");
        }
        return value;
    }

    /** Present, for fields whose content a later check decodes. */
    public static String require(String field, String value) {
        if (value == null) throw new IllegalArgumentException("Field '" + field + "' is required");
        return value;
    }

    /** At most 40 characters of foreign text, for messages. */
    static String clip(String s) {
        if (s == null) return "null";
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
