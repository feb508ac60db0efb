package org.stationtrust.server.internal.store;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import org.stationtrust.protocol.EnrollmentState;

/**
 * One page of the admin console's machine list: what to look for, in which order, from where. Every field is
 * checked here, so the store builds its SQL from known column names and binds every value.
 *
 * @param text       matched case-blind against the start of name, machine id, EK serial and TPM manufacturer (null:
 *                   any)
 * @param state      only machines in this state (null: any)
 * @param attestation only this attestation status (null: any)
 * @param firmware   the firmware of the last measured boot exactly, as {@link FirmwareColumn#label} wrote it (null:
 *                   any)
 * @param fromMillis enrolled at or after (null: no bound)
 * @param toMillis   enrolled before (null: no bound)
 * @param sort       the order
 * @param after      the cursor: the sort key and id of the last row of the previous page (null: first page)
 * @param size       rows per page
 */
public record MachineSearch(String text, EnrollmentState state, AttestationStatus attestation, String firmware,
                            Long fromMillis,
                            Long toMillis, Sort sort, Cursor after, int size) {
    public static final int MAX_TEXT = 100;
    public static final int MAX_SIZE = 200;
    /** Counting stops here: a larger count costs a scan and tells an operator nothing more. */
    public static final int COUNT_CAP = 10_000;

    /** The orders the list offers; each is served by an index on (key, id). */
    public enum Sort {
        NEWEST("created_at", true), OLDEST("created_at", false), NAME("name", false), NAME_DESC("name", true);

        final String column;
        final boolean descending;

        Sort(String column, boolean descending) {
            this.column = column;
            this.descending = descending;
        }

        public static Sort parse(String text) {
            if (text == null || text.isEmpty()) return NEWEST;
            for (Sort s : values()) {
                if (s.name().equalsIgnoreCase(text)) return s;
            }
            throw new IllegalArgumentException("Unknown sort '" + text + "': expected newest, oldest, name or name_desc");
        }

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The cursor that resumes this order after the row with these values. */
        public Cursor cursorAfter(java.time.Instant createdAt, String name, String id) {
            return new Cursor(column.equals("created_at") ? Long.toString(createdAt.toEpochMilli()) : name, id);
        }
    }

    /**
     * Where the next page starts: after the row with this sort key and id. Carried in the URL as base64url; it names a
     * position only (no row content), so a made-up one can show nothing the caller could not list from the start.
     */
    public record Cursor(String key, String id) {
        public static final String MALFORMED = "Malformed page cursor: pass the 'next' value of the previous page unchanged, or "
                + "none for the first page";
        // the ids of every paged list: machines, tokens, packets, station events (station-protocol's Fields.ID)
        private static final java.util.regex.Pattern ID = org.stationtrust.protocol.Fields.ID;

        public Cursor {
            if (key == null || id == null || key.length() > 200 || !ID.matcher(id).matches()) {
                throw new IllegalArgumentException(MALFORMED);
            }
        }

        /**
         * The time key of a cursor over a time-ordered list (creation, receipt): {@code Long.MAX_VALUE} for none (the
         * first page); a key that is not a number is a malformed cursor.
         */
        public static long timeKey(Cursor after) {
            if (after == null) return Long.MAX_VALUE;
            try {
                return Long.parseLong(after.key());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(MALFORMED, e);
            }
        }

        public String encode() {
            return Base64.getUrlEncoder().withoutPadding().encodeToString((key + "\n" + id)
                    .getBytes(StandardCharsets.UTF_8));
        }

        public static Cursor decode(String text) {
            if (text == null || text.isEmpty()) return null;
            if (text.length() > 400) throw new IllegalArgumentException(MALFORMED);
            String plain;
            try {
                plain = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(MALFORMED, e);
            }
            int cut = plain.lastIndexOf('\n');
            if (cut < 0) throw new IllegalArgumentException(MALFORMED);
            return new Cursor(plain.substring(0, cut), plain.substring(cut + 1));
        }
    }

    public MachineSearch {
        text = blankToNull(text);
        firmware = blankToNull(firmware);
        if (text != null && text.length() > MAX_TEXT) {
            throw new IllegalArgumentException("Search text is longer than " + MAX_TEXT + " characters");
        }
        if (firmware != null && firmware.length() > FirmwareColumn.MAX) {
            throw new IllegalArgumentException("Firmware is longer than " + FirmwareColumn.MAX + " characters");
        }
        if (sort == null) throw new IllegalArgumentException("sort is required");
        if (size < 1 || size > MAX_SIZE) throw new IllegalArgumentException("Page size must be 1.." + MAX_SIZE);
        if (sort.column.equals("created_at")) Cursor.timeKey(after);
    }

    /** The first page of everything, newest first. */
    public static MachineSearch all(int size) {
        return new MachineSearch(null, null, null, null, null, null, Sort.NEWEST, null, size);
    }

    /** A LIKE pattern matching values that start with {@code s} (lower-cased), its wildcards taken literally. */
    static String startsWith(String s) {
        return s.toLowerCase(Locale.ROOT).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }

    /**
     * Bounds [low, high) of an index range that holds every value starting with {@code s} (lower-cased), or null when
     * there is none to offer. The range ends at the last ASCII letter or digit of the prefix, raised by one (a..y,
     * 0..8): under byte order (SQLite) and under the locale collations of PostgreSQL alike, where punctuation and
     * format characters weigh nothing at the first level, every value with the prefix sorts inside it. The range
     * may hold more than the prefix's values; the LIKE beside it decides.
     */
    static String[] prefixRange(String s) {
        String p = s.toLowerCase(Locale.ROOT);
        for (int end = p.length(); end > 0; end--) {
            char last = p.charAt(end - 1);
            if ((last >= 'a' && last <= 'y') || (last >= '0' && last <= '8')) {
                String low = p.substring(0, end);
                return new String[] {low, low.substring(0, end - 1) + (char) (last + 1)};
            }
        }
        return null;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
