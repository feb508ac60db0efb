package org.stationtrust.server.internal.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The {@code machines.firmware} column (migration V12): the firmware of a machine's last judged boot, as the console
 * filters and lists it. Its value is the EV_S_CRTM_VERSION strings the boot state read from PCR 0 (TCG PC Client
 * Platform Firmware Profile, "EV_S_CRTM_VERSION"), distinct, in log order, joined by " / "; null when the boot state
 * names none. The same {@link #label} serves a verdict being recorded and the migration's back-fill of older rows.
 */
public final class FirmwareColumn {
    /** The column's width (VARCHAR(200)); a longer label is cut, ending in "...". */
    public static final int MAX = 200;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BACKFILL_BATCH = 500;

    private FirmwareColumn() {
    }

    /**
     * The column value for these firmware versions: control and format characters (a hostile log can carry bidi
     * overrides or zero-width characters) become '?', so the value reads as it is and a choice list shows it whole.
     */
    public static String label(List<String> firmwareVersions) {
        Set<String> distinct = new LinkedHashSet<>();
        for (String v : firmwareVersions) {
            String clean = clean(v);
            if (!clean.isEmpty()) distinct.add(clean);
        }
        if (distinct.isEmpty()) return null;
        String joined = String.join(" / ", distinct);
        return joined.length() <= MAX ? joined : joined.substring(0, MAX - 3) + "...";
    }

    private static String clean(String s) {
        StringBuilder b = new StringBuilder(s.length());
        s.strip().codePoints().forEach(cp -> {
            int type = Character.getType(cp);
            boolean hidden = type == Character.CONTROL || type == Character.FORMAT || type == Character.SURROGATE
                    || type == Character.UNASSIGNED || type == Character.PRIVATE_USE;
            b.appendCodePoint(hidden ? '?' : cp);
        });
        return b.toString();
    }

    /** The label of a stored boot state (the JSON of machine_boot.last_state); null when it names no firmware. */
    static String ofStoredState(String stateJson) {
        if (stateJson == null) return null;
        try {
            JsonNode versions = JSON.readTree(stateJson).path("firmwareVersions");
            List<String> out = new ArrayList<>();
            for (JsonNode v : versions) {
                if (v.isTextual()) out.add(v.asText());
            }
            return label(out);
        } catch (JsonProcessingException e) {
            // A state this server wrote and cannot read again: the column stays empty (the machine shows under no
            // firmware) rather than stopping the migration for a display and filter column.
            return null;
        }
    }

    /**
     * Migration V12's back-fill: every machine with a stored boot state gets the label of that state, read in pages
     * by machine id so the boot states (a few KiB each) never sit in memory together. Runs in the migration's
     * transaction, so the column and its values arrive together.
     */
    static void backfill(Connection c) throws SQLException {
        String after = "";
        while (true) {
            List<String[]> rows = Sql.query(c, "SELECT machine_id, last_state FROM machine_boot WHERE machine_id > ?"
                    + " AND last_state IS NOT NULL ORDER BY machine_id LIMIT ?", rs -> new String[] {rs.getString(1),
                    rs.getString(2)}, after, BACKFILL_BATCH);
            if (rows.isEmpty()) return;
            try (java.sql.PreparedStatement update = c.prepareStatement("UPDATE machines SET firmware = ? WHERE id = ?")) {
                for (String[] row : rows) {
                    update.setString(1, ofStoredState(row[1]));
                    update.setString(2, row[0]);
                    update.addBatch();
                }
                update.executeBatch();
            }
            after = rows.get(rows.size() - 1)[0];
        }
    }
}
