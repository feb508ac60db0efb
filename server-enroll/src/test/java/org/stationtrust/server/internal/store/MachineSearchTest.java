package org.stationtrust.server.internal.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The machine list's search parameters: prefix ranges, LIKE patterns, cursors and bounds. */
class MachineSearchTest {
    @Test
    void aPrefixRangeEndsAtItsLastLetterOrDigitRaisedByOne() {
        assertArrayEquals(new String[] {"nbo-centre", "nbo-centrf"}, MachineSearch.prefixRange("NBO-Centre"));
        assertArrayEquals(new String[] {"sn42", "sn43"}, MachineSearch.prefixRange("SN42"));
        assertArrayEquals(new String[] {"ad", "ae"}, MachineSearch.prefixRange("ad\u200b"), "a format character is cut");
        assertArrayEquals(new String[] {"lab", "lac"}, MachineSearch.prefixRange("lab9"), "9 has no next digit");
        assertArrayEquals(new String[] {"<script", "<scripu"}, MachineSearch.prefixRange("<script>"));
        assertNull(MachineSearch.prefixRange("--"), "nothing to bound: the LIKE alone decides");
    }

    @Test
    void everyValueStartingWithThePrefixSortsInsideItsRangeByByteOrder() {
        for (String prefix : List.of("nbo-centre", "SN42", "lab9", "ad\u200bmin", "az", "x-")) {
            String[] range = MachineSearch.prefixRange(prefix);
            for (String tail : List.of("", "0", "zzz", "-04", "\uffff", "~")) {
                String value = (prefix + tail).toLowerCase(java.util.Locale.ROOT);
                assertTrue(value.compareTo(range[0]) >= 0 && value.compareTo(range[1]) < 0, value + " in "
                        + String.join("..", range));
            }
        }
    }

    @Test
    void likeWildcardsInTheSearchTextAreLiteral() {
        assertEquals("50\\%\\_off\\\\%", MachineSearch.startsWith("50%_OFF\\"));
    }

    @Test
    void aCursorRoundTripsAndAMalformedOneIsRefused() {
        MachineSearch.Cursor c = new MachineSearch.Cursor("name\nwith newline", "abc");
        assertEquals(c, MachineSearch.Cursor.decode(c.encode()));
        assertThrows(IllegalArgumentException.class, () -> MachineSearch.Cursor.decode("!!!"));
        assertThrows(IllegalArgumentException.class, () -> MachineSearch.Cursor.decode("bm9uZXdsaW5l"));
        assertThrows(IllegalArgumentException.class, () -> new MachineSearch(null, null, null, null, null, null,
                MachineSearch.Sort.NEWEST, new MachineSearch.Cursor("not a number", "id"), 50));
    }

    @Test
    void boundsAreCheckedWhereTheSearchIsMade() {
        assertThrows(IllegalArgumentException.class, () -> new MachineSearch("x".repeat(101), null, null, null, null,
                null, MachineSearch.Sort.NEWEST, null, 50));
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> AttestationStatus.fromQuery("MAYBE"));
        assertEquals("Unknown attestation status 'MAYBE': expected one of OK, FAILED, NONE, OVERDUE", unknown.getMessage());
        assertThrows(IllegalArgumentException.class, () -> AttestationStatus.fromQuery("ok"), "the exact name only");
        assertEquals(AttestationStatus.OVERDUE, AttestationStatus.fromQuery("OVERDUE"));
        assertThrows(IllegalArgumentException.class, () -> MachineSearch.all(0));
        assertThrows(IllegalArgumentException.class, () -> MachineSearch.all(201));
        assertThrows(IllegalArgumentException.class, () -> MachineSearch.Sort.parse("random"));
        assertEquals(MachineSearch.Sort.NAME_DESC, MachineSearch.Sort.parse("name_desc"));
    }
}
