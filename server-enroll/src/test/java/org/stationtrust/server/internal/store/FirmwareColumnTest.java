package org.stationtrust.server.internal.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stationtrust.server.testing.TestDatabases;
import org.stationtrust.testsupport.TestPostgres;

/**
 * The machines' firmware column (migration V12) on SQLite and on PostgreSQL: rows judged before the migration are
 * filled from their stored boot state by the migration itself, a verdict recorded after it writes the column in its
 * transaction, and the list's filter and choice of values read it.
 */
class FirmwareColumnTest {
    private static final int MACHINES = 1_234; // more than two back-fill pages of 500

    @TempDir
    Path dir;

    @Test
    void theLabelIsTheDistinctFirmwareVersionsWithHiddenCharactersShownAndALongOneCut() {
        assertNull(FirmwareColumn.label(List.of()));
        assertNull(FirmwareColumn.label(List.of(" ", "")));
        assertEquals("A 1.0 / B 2.0", FirmwareColumn.label(List.of("A 1.0", " B 2.0 ", "A 1.0")));
        assertEquals("evil?1.0?", FirmwareColumn.label(List.of("evil\u202e1.0\u200b")), "bidi and zero-width shown");
        String cut = FirmwareColumn.label(List.of("v".repeat(500)));
        assertEquals(FirmwareColumn.MAX, cut.length());
        assertEquals("v".repeat(FirmwareColumn.MAX - 3) + "...", cut);
        assertEquals("X 9", FirmwareColumn.ofStoredState("{\"secureBoot\":\"ON\",\"firmwareVersions\":[\"X 9\"]}"));
        assertNull(FirmwareColumn.ofStoredState("{\"secureBoot\":\"ON\",\"firmwareVersions\":[]}"));
        assertNull(FirmwareColumn.ofStoredState("{not json"), "an unreadable stored state leaves the column empty");
    }

    @Test
    void migrationV12FillsTheColumnFromStoredBootStatesOnSqlite() {
        try (Database db = Database.open(TestDatabases.sqliteUrl(dir), null, null)) {
            migrateAndCheck(db);
        }
    }

    @Test
    void migrationV12FillsTheColumnFromStoredBootStatesOnPostgresql() throws Exception {
        assumeTrue(TestPostgres.binaries() != null, "PostgreSQL not installed: apt-get install -y postgresql");
        try (TestPostgres pg = TestPostgres.start();
             Database db = Database.open(pg.createDatabase("firmware"), "postgres", null)) {
            migrateAndCheck(db);
        }
    }

    private static void migrateAndCheck(Database db) {
        Map<String, String> expected = seedAtV11(db);
        List<Integer> applied = new Migrations(db).apply().stream().filter(v -> v >= 12).toList();
        assertEquals(12, applied.get(0), "V12 ran first of the migrations after V11 (later ones follow): " + applied);
        Map<String, String> actual = new HashMap<>();
        db.withConnection(c -> Sql.query(c, "SELECT id, firmware FROM machines", rs -> actual.put(rs.getString(1),
                rs.getString(2))));
        assertEquals(expected, actual, "every machine's firmware from its stored boot state, none for the others");

        MachineListing machines = new MachineListing(db);
        // in the database's own collation order (byte order on SQLite, the locale's on PostgreSQL)
        List<String> values = machines.firmwareValues(100);
        assertEquals(java.util.Set.of("Vendor BIOS 1.00", "Vendor BIOS 1.00 / Vendor EC 7", "Vendor BIOS 1.01",
                "Vendor BIOS 1.02", "evil?name"), java.util.Set.copyOf(values), "the values present, each once");
        assertEquals(5, values.size());
        assertEquals(values.subList(0, 2), machines.firmwareValues(2), "bounded: the first values");
        long withV101 = expected.values().stream().filter("Vendor BIOS 1.01"::equals).count();
        MachineSearch search = new MachineSearch(null, null, null, "Vendor BIOS 1.01", null, null,
                MachineSearch.Sort.NEWEST, null, 200);
        MachineListing.Page page = machines.search(search);
        assertEquals(withV101, page.matching());
        List<String> seen = new ArrayList<>(page.rows().stream().map(MachineListing.ListRow::id).toList());
        while (page.next() != null) {
            page = machines.search(new MachineSearch(null, null, null, "Vendor BIOS 1.01", null, null,
                    MachineSearch.Sort.NEWEST, page.next(), 200));
            page.rows().forEach(r -> seen.add(r.id()));
        }
        assertEquals(withV101, seen.size(), "keyset paging over the firmware filter");
        assertEquals(withV101, seen.stream().distinct().count());

        // A verdict recorded after the migration writes the column with it, and clears it for a state without one.
        BootStore boot = new BootStore(db);
        db.inTransaction(c -> {
            boot.record(c, "m00000", judged("{\"firmwareVersions\":[\"Vendor BIOS 2.00\"]}", List.of("Vendor BIOS 2.00")));
            boot.record(c, "m00001", judged(null, List.of()));
            return null;
        });
        assertEquals("Vendor BIOS 2.00", firmware(db, "m00000"));
        assertNull(firmware(db, "m00001"));
        assertEquals(1, machines.search(new MachineSearch(null, null, null, "Vendor BIOS 2.00", null, null,
                MachineSearch.Sort.NAME, null, 50)).matching());
    }

    private static BootStore.Judged judged(String state, List<String> versions) {
        return new BootStore.Judged("PASSED", null, null, "ok", "[]", state, versions, "{}", null, null, null, null);
    }

    private static String firmware(Database db, String id) {
        List<String> one = db.withConnection(c -> Sql.query(c, "SELECT firmware FROM machines WHERE id = ?",
                rs -> rs.getString(1), id));
        assertEquals(1, one.size(), id);
        return one.get(0);
    }

    /**
     * The schema as V11 left it, with machines of several boot states: machine {@code i} has none when
     * {@code i % 7 == 0}, an unreadable one when {@code i == 3}, two firmware versions when {@code i == 5}, a
     * hostile version string when {@code i == 6}, else "Vendor BIOS 1.0<i % 3>". Returns the firmware each should get.
     */
    private static Map<String, String> seedAtV11(Database db) {
        Map<String, String> expected = new HashMap<>();
        db.inTransaction(c -> {
            SchemaAt.create(c, 11);
            try (PreparedStatement m = c.prepareStatement("INSERT INTO machines (id, name, state, ek_public, ek_name, "
                    + "ek_verified, ak_public, request_source, created_at, attestation_status) VALUES (?, ?, 'ACTIVE', "
                    + "'AAAA', ?, 1, 'AAAA', 'test', ?, 'OK')");
                 PreparedStatement b = c.prepareStatement("INSERT INTO machine_boot (machine_id, last_result, last_state, "
                         + "last_at) VALUES (?, 'PASSED', ?, 0)")) {
                for (int i = 0; i < MACHINES; i++) {
                    String id = String.format("m%05d", i);
                    m.setString(1, id);
                    m.setString(2, "pc-" + i);
                    m.setString(3, "ek-" + id);
                    m.setLong(4, 1_767_225_600_000L + i);
                    m.addBatch();
                    String state;
                    String firmware;
                    if (i % 7 == 0) {
                        state = null;
                        firmware = null;
                    } else if (i == 3) {
                        state = "{\"firmwareVersions\": [";
                        firmware = null;
                    } else if (i == 5) {
                        state = "{\"firmwareVersions\":[\"Vendor BIOS 1.00\",\"Vendor EC 7\"]}";
                        firmware = "Vendor BIOS 1.00 / Vendor EC 7";
                    } else if (i == 6) {
                        state = "{\"firmwareVersions\":[\"evil\\u202ename\"]}";
                        firmware = "evil?name";
                    } else {
                        firmware = "Vendor BIOS 1.0" + (i % 3);
                        state = "{\"secureBoot\":\"ON\",\"firmwareVersions\":[\"" + firmware + "\"]}";
                    }
                    expected.put(id, firmware);
                    if (state != null) {
                        b.setString(1, id);
                        b.setString(2, state);
                        b.addBatch();
                    }
                }
                m.executeBatch();
                b.executeBatch();
            }
            return null;
        });
        return expected;
    }
}
