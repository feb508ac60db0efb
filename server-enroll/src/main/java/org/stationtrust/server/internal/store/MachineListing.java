package org.stationtrust.server.internal.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.stationtrust.protocol.EnrollmentState;

/**
 * The fleet as the console and the operator API list it: keyset pages of machines with their filters, the overview's
 * counts and queues, and the other machines that look like one (same name, same EK). Reads only.
 */
public final class MachineListing {
    private final Database db;

    public MachineListing(Database db) {
        this.db = db;
    }

    /** One row of the admin console's machine list: only the columns the list shows. */
    public record ListRow(String id, String name, EnrollmentState state, AttestationStatus attestationStatus,
                          boolean ekVerified, String ekSerial, String tpmManufacturer, java.time.Instant createdAt,
                          java.time.Instant lastAttemptAt, java.time.Instant lastSuccessAt) {

        /** The attestation status as an operator sees it now: OK that is overdue reads OVERDUE. */
        public AttestationStatus attestationSeen(long now, long intervalMillis) {
            return attestationStatus.seen(MachineDetail.overdue(state, lastSuccessAt == null ? null
                    : lastSuccessAt.toEpochMilli(), now, intervalMillis));
        }
    }

    /**
     * One page of the list, the cursor of the next page (null on the last) and how many machines match in all, counted
     * up to {@link MachineSearch#COUNT_CAP} + 1 (a count beyond the cap says "more than").
     */
    public record Page(List<ListRow> rows, MachineSearch.Cursor next, long matching) {
    }

    private static final String LIST_COLUMNS = "id, name, state, attestation_status, ek_verified, ek_serial, "
            + "tpm_manufacturer, created_at, last_attempt_at, last_success_at";

    /**
     * A page of machines by keyset: the rows after the cursor in the search's order, read through the index on
     * (sort key, id), so the cost of a page does not grow with its position; the state, attestation and firmware
     * filters have indexes on (key, created_at, id), the text search reads index ranges of its four columns.
     */
    public Page search(MachineSearch s) {
        Filter filter = Filter.of(s);
        return db.withConnection(c -> {
            List<ListRow> rows = pageRows(c, LIST_COLUMNS, s, filter, MachineListing::listRow);
            List<Object> countParams = new java.util.ArrayList<>(filter.params());
            countParams.add(MachineSearch.COUNT_CAP + 1);
            long matching = Sql.one(c, "SELECT COUNT(*) FROM (SELECT 1 FROM machines" + filter.where()
                    + " LIMIT ?) counted", rs -> rs.getLong(1), countParams.toArray()).orElse(0L);
            MachineSearch.Cursor next = null;
            if (rows.size() > s.size()) {
                rows = rows.subList(0, s.size());
                ListRow last = rows.get(rows.size() - 1);
                next = s.sort().cursorAfter(last.createdAt(), last.name(), last.id());
            }
            return new Page(List.copyOf(rows), next, matching);
        });
    }

    /** A page of whole machines (the operator API's lists) and the cursor of the next page (null on the last). */
    public record DetailPage(List<MachineDetail> rows, MachineSearch.Cursor next) {
        public DetailPage {
            rows = List.copyOf(rows);
        }
    }

    /**
     * The same keyset page as {@link #search} with every column of each machine, and without the count: the operator
     * API follows {@code next} to the end instead.
     */
    public DetailPage details(MachineSearch s) {
        Filter filter = Filter.of(s);
        return db.withConnection(c -> {
            List<MachineDetail> rows = pageRows(c, MachineDetail.COLUMNS, s, filter, MachineDetail::from);
            if (rows.size() <= s.size()) return new DetailPage(rows, null);
            MachineDetail last = rows.get(s.size() - 1);
            return new DetailPage(rows.subList(0, s.size()), s.sort().cursorAfter(last.origin().createdAt(),
                    last.name(), last.id()));
        });
    }

    /** The filters of a search as a WHERE clause over bound values (every column name comes from this class). */
    private record Filter(String where, List<Object> params) {
        static Filter of(MachineSearch s) {
            List<Object> params = new java.util.ArrayList<>();
            StringBuilder where = new StringBuilder(" WHERE 1 = 1");
            if (s.state() != null) {
                where.append(" AND state = ?");
                params.add(s.state().name());
            }
            if (s.attestation() != null) {
                where.append(" AND attestation_status = ?");
                params.add(s.attestation().name());
            }
            if (s.fromMillis() != null) {
                where.append(" AND created_at >= ?");
                params.add(s.fromMillis());
            }
            if (s.toMillis() != null) {
                where.append(" AND created_at < ?");
                params.add(s.toMillis());
            }
            if (s.text() != null) {
                // The start of name, id, EK serial or TPM manufacturer, each through its index: a range that holds
                // every value with the prefix (MachineSearch.prefixRange), then LIKE for the exact test.
                String like = MachineSearch.startsWith(s.text());
                String[] range = MachineSearch.prefixRange(s.text());
                where.append(" AND (");
                String[] columns = {"lower(name)", "id", "lower(ek_serial)", "lower(tpm_manufacturer)"};
                for (int i = 0; i < columns.length; i++) {
                    where.append(i == 0 ? "" : " OR ").append("(");
                    if (range != null) {
                        where.append(columns[i]).append(" >= ? AND ").append(columns[i]).append(" < ? AND ");
                        params.add(range[0]);
                        params.add(range[1]);
                    }
                    where.append(columns[i]).append(" LIKE ? ESCAPE '\\')");
                    params.add(like);
                }
                where.append(")");
            }
            if (s.firmware() != null) {
                // the firmware column (migration V12), by its index on (firmware, created_at, id)
                where.append(" AND firmware = ?");
                params.add(s.firmware());
            }
            return new Filter(where.toString(), List.copyOf(params));
        }
    }

    /**
     * The filtered rows after the search's cursor in its order, one more than a page (the extra row says a next page
     * exists): keyset on (sort key, id), read through the index on them.
     */
    private static <T> List<T> pageRows(Connection c, String columns, MachineSearch s, Filter filter, Sql.Row<T> row)
            throws SQLException {
        String column = s.sort().column;
        String dir = s.sort().descending ? "DESC" : "ASC";
        List<Object> params = new java.util.ArrayList<>(filter.params());
        StringBuilder page = new StringBuilder(filter.where());
        if (s.after() != null) {
            page.append(" AND (").append(column).append(", id) ").append(s.sort().descending ? "<" : ">")
                    .append(" (?, ?)");
            params.add(column.equals("created_at") ? (Object) Long.valueOf(s.after().key()) : s.after().key());
            params.add(s.after().id());
        }
        params.add(s.size() + 1);
        return Sql.query(c, "SELECT " + columns + " FROM machines" + page + " ORDER BY " + column + " " + dir + ", id "
                + dir + " LIMIT ?", row, params.toArray());
    }

    /**
     * The distinct values of the firmware column in order, at most {@code limit}: a loose index scan (each step the
     * next value above the last, read from the index on firmware), so its cost grows with the number of values
     * returned, not with the fleet.
     */
    public List<String> firmwareValues(int limit) {
        return db.withConnection(c -> Sql.query(c, "WITH RECURSIVE fw(v, n) AS ("
                + "SELECT (SELECT firmware FROM machines WHERE firmware IS NOT NULL ORDER BY firmware LIMIT 1), 1"
                + " UNION ALL SELECT (SELECT firmware FROM machines WHERE firmware > fw.v ORDER BY firmware LIMIT 1),"
                + " n + 1 FROM fw WHERE fw.v IS NOT NULL AND n < ?) SELECT v FROM fw WHERE v IS NOT NULL",
                rs -> rs.getString(1), limit));
    }

    /** Machine counts by state and attestation status (the overview's figures). */
    public StateCounts countsByStateAndStatus() {
        return db.withConnection(StateCounts::read);
    }

    /** The oldest machines in a state first (the queue of decisions), at most {@code limit}. */
    public List<MachineDetail> oldestIn(EnrollmentState state, int limit) {
        return db.withConnection(c -> Sql.query(c, "SELECT " + MachineDetail.COLUMNS + " FROM machines WHERE state = ? "
                + "ORDER BY created_at, id LIMIT ?", MachineDetail::from, state.name(), limit));
    }

    /** Active machines with this attestation status, most recent attempt first, at most {@code limit}. */
    public List<ListRow> activeWithStatus(AttestationStatus attestationStatus, int limit) {
        return db.withConnection(c -> Sql.query(c, "SELECT " + LIST_COLUMNS + " FROM machines WHERE state = ? AND "
                + "attestation_status = ? ORDER BY created_at DESC, id DESC LIMIT ?", MachineListing::listRow,
                EnrollmentState.ACTIVE.name(), attestationStatus.name(), limit));
    }

    /** Other machines (not rejected) named like this one, case-blind, as "id (STATE)": at most 10. */
    public List<String> sameName(String id, String name) {
        return db.withConnection(c -> Sql.query(c, "SELECT id, state FROM machines WHERE lower(name) = lower(?) AND id <> ? "
                + "AND state <> ? LIMIT 10", rs -> rs.getString(1) + " (" + rs.getString(2) + ")",
                name, id, EnrollmentState.REJECTED.name()));
    }

    /**
     * Every other enrollment of the same EK (by EK name), whatever its state, newest first, at most {@code limit}:
     * the same TPM enrolled again (cleared TPM, new disk image) or a copy of its identity, for comparison.
     */
    public List<ListRow> sameEk(String id, String ekName, int limit) {
        return db.withConnection(c -> Sql.query(c, "SELECT " + LIST_COLUMNS + " FROM machines WHERE ek_name = ? AND "
                + "id <> ? ORDER BY created_at DESC, id DESC LIMIT ?", MachineListing::listRow, ekName, id, limit));
    }

    /** Other enrollments still pending (approval or activation) with the same EK: at most 10 ids. */
    public List<String> samePendingEk(String id, String ekName) {
        return db.withConnection(c -> Sql.query(c, "SELECT id FROM machines WHERE ek_name = ? AND id <> ? AND state IN "
                + "(?, ?) LIMIT 10", rs -> rs.getString(1), ekName, id, EnrollmentState.PENDING_APPROVAL.name(),
                EnrollmentState.PENDING_ACTIVATION.name()));
    }

    private static ListRow listRow(java.sql.ResultSet rs) throws SQLException {
        return new ListRow(rs.getString("id"), rs.getString("name"), EnrollmentState.parse(rs.getString("state")),
                AttestationStatus.parse(rs.getString("attestation_status")), rs.getInt("ek_verified") != 0, rs.getString("ek_serial"),
                rs.getString("tpm_manufacturer"), java.time.Instant.ofEpochMilli(rs.getLong("created_at")),
                instant(Sql.nullableLong(rs, "last_attempt_at")), instant(Sql.nullableLong(rs, "last_success_at")));
    }

    private static java.time.Instant instant(Long millis) {
        return millis == null ? null : java.time.Instant.ofEpochMilli(millis);
    }
}
