package org.stationtrust.server.internal.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.stationtrust.protocol.EnrollmentState;

/** Machines, their signing keys and attestation history. State changes are conditional updates. */
public final class MachineStore {
    private final Database db;

    public MachineStore(Database db) {
        this.db = db;
    }

    /** What an enrollment request establishes, before activation. */
    public record NewMachine(String id, String name, Endorsement ek, String akPublic, String replacesMachine,
                             String requestSource, Activation activation) {
    }

    /**
     * The machine's endorsement key as enrollment found it (public values only): its public area (base64), TPM name,
     * certificate (base64 DER) and what checking that certificate established.
     */
    public record Endorsement(String publicArea, String name, String certificate, boolean verified, String subject,
                              String issuer, String serial, String tpmManufacturer) {

        /** An EK without a certificate (nothing verified). */
        public static Endorsement uncertified(String publicArea, String name) {
            return new Endorsement(publicArea, name, null, false, null, null, null, null);
        }
    }

    /** The credential activation still open: the digest of its secret and the nonce its first quote must carry. */
    public record Activation(String secretHash, String firstQuoteNonce) {
    }

    public record MachineKey(String id, String machineId, String tpmPublic, String spki, long createdAt,
                             Long retiredAt) {
    }

    public record AttestationRecord(String id, String machineId, long at, AttestationOutcome outcome, String detail,
                                    String pcrs) {
    }

    public void insert(Connection c, NewMachine m, String enrollmentTokenId, String keyTpmPublic, String keySpki)
            throws SQLException {
        long now = System.currentTimeMillis();
        Sql.update(c, "INSERT INTO machines (id, name, state, ek_public, ek_name, ek_certificate, ek_verified, "
                + "ek_subject, ek_issuer, ek_serial, tpm_manufacturer, ak_public, replaces_machine, enrollment_token_id, "
                + "request_source, created_at, activation_secret_hash, activation_attempts, first_quote_nonce, "
                + "attestation_status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, 'NONE')",
                m.id(), m.name(), EnrollmentState.PENDING_ACTIVATION.name(), m.ek().publicArea(), m.ek().name(),
                m.ek().certificate(), m.ek().verified(), m.ek().subject(), m.ek().issuer(), m.ek().serial(),
                m.ek().tpmManufacturer(), m.akPublic(), m.replacesMachine(), enrollmentTokenId, m.requestSource(), now,
                m.activation().secretHash(), m.activation().firstQuoteNonce());
        insertKey(c, m.id(), keyTpmPublic, keySpki, now);
    }

    public void insertKey(Connection c, String machineId, String tpmPublic, String spki, long now) throws SQLException {
        Sql.update(c, "INSERT INTO machine_keys (id, machine_id, tpm_public, spki, created_at) VALUES (?, ?, ?, ?, ?)",
                org.stationtrust.server.internal.auth.Secrets.newId(), machineId, tpmPublic, spki, now);
    }

    public Optional<MachineDetail> find(String id) {
        return db.withConnection(c -> find(c, id));
    }

    public Optional<MachineDetail> find(Connection c, String id) throws SQLException {
        return Sql.one(c, "SELECT " + MachineDetail.COLUMNS + " FROM machines WHERE id = ?", MachineDetail::from, id);
    }

    /** What enrollment needs to know of a machine: where it stands and whether its EK certificate was verified. */
    public record EnrollmentView(String id, EnrollmentState state, boolean ekVerified) {
        static EnrollmentView from(java.sql.ResultSet rs) throws SQLException {
            return new EnrollmentView(rs.getString(1), EnrollmentState.parse(rs.getString(2)), rs.getInt(3) != 0);
        }
    }

    /**
     * What activation and an enrollment retry read of an enrollment: the keys it was begun with, where it came from and
     * its open credential challenge (secret digest, nonce of the first quote). The caller checks the state.
     */
    public record PendingEnrollment(String id, String name, EnrollmentState state, String ekPublic, String ekName,
                                    boolean ekVerified, String akPublic, String replacesMachine, String requestSource,
                                    String activationSecretHash, String firstQuoteNonce) {
        static final String COLUMNS = "id, name, state, ek_public, ek_name, ek_verified, ak_public, replaces_machine, "
                + "request_source, activation_secret_hash, first_quote_nonce";

        static PendingEnrollment from(java.sql.ResultSet rs) throws SQLException {
            return new PendingEnrollment(rs.getString(1), rs.getString(2), EnrollmentState.parse(rs.getString(3)),
                    rs.getString(4), rs.getString(5), rs.getInt(6) != 0, rs.getString(7), rs.getString(8),
                    rs.getString(9), rs.getString(10), rs.getString(11));
        }

        /** Where the enrollment stands, as its status answer says. */
        public EnrollmentView view() {
            return new EnrollmentView(id, state, ekVerified);
        }
    }

    public Optional<PendingEnrollment> findPending(String id) {
        return db.withConnection(c -> findPending(c, id));
    }

    public Optional<PendingEnrollment> findPending(Connection c, String id) throws SQLException {
        return Sql.one(c, "SELECT " + PendingEnrollment.COLUMNS + " FROM machines WHERE id = ?", PendingEnrollment::from,
                id);
    }

    /** Earlier machines enrolled with the same EK (by EK name), newest first. */
    public List<EnrollmentView> findByEkName(Connection c, String ekName) throws SQLException {
        return Sql.query(c, "SELECT id, state, ek_verified FROM machines WHERE ek_name = ? ORDER BY created_at DESC",
                EnrollmentView::from, ekName);
    }

    /** A machine as enrollment sees it (its status answer, a check that it exists). */
    public Optional<EnrollmentView> findEnrollment(String id) {
        return db.withConnection(c -> Sql.one(c, "SELECT id, state, ek_verified FROM machines WHERE id = ?",
                EnrollmentView::from, id));
    }

    /** A machine as a packet check sees it: the station's narrow view, without its keys. */
    public Optional<StationMachine> findStation(String id) {
        return db.withConnection(c -> Sql.one(c, "SELECT " + StationMachine.COLUMNS + " FROM machines m WHERE m.id = ?",
                StationMachine::from, id));
    }

    /** Ids of enrollments still waiting for activation that began before cutoff (at most 500 per call). */
    public List<String> unactivatedBefore(Connection c, long cutoff) throws SQLException {
        return Sql.query(c, "SELECT id FROM machines WHERE state = ? AND created_at < ? LIMIT 500",
                rs -> rs.getString(1), EnrollmentState.PENDING_ACTIVATION.name(), cutoff);
    }

    /** The machine's current (not retired) signing key. */
    public Optional<MachineKey> currentKey(Connection c, String machineId) throws SQLException {
        return Sql.one(c, "SELECT * FROM machine_keys WHERE machine_id = ? AND retired_at IS NULL ORDER BY created_at "
                + "DESC", MachineStore::key, machineId);
    }

    /** A machine as a signed request sees it, with its current signing key (empty key when it has none). */
    public record WithKey(StationMachine machine, Optional<MachineKey> key) {
    }

    /**
     * The machine and its current signing key in one query: what every signed station request needs first, read
     * fresh each time (a revocation or rotation on any instance applies to the next request). Only the columns a
     * station request uses are read.
     */
    public Optional<WithKey> findWithCurrentKey(String id) {
        return db.withConnection(c -> Sql.one(c, "SELECT " + StationMachine.COLUMNS + ", k.id, k.tpm_public, k.spki, "
                + "k.created_at FROM machines m LEFT JOIN machine_keys k ON k.machine_id = m.id AND k.retired_at IS "
                + "NULL WHERE m.id = ?", rs -> { // one row at most: the unique index machine_keys_current (V5)
                    StationMachine m = StationMachine.from(rs);
                    String keyId = rs.getString(9);
                    return new WithKey(m, keyId == null ? Optional.empty() : Optional.of(new MachineKey(keyId, m.id(),
                            rs.getString(10), rs.getString(11), rs.getLong(12), null)));
                }, id));
    }

    public Optional<MachineKey> currentKey(String machineId) {
        return db.withConnection(c -> currentKey(c, machineId));
    }

    public List<MachineKey> keys(String machineId) {
        return db.withConnection(c -> Sql.query(c, "SELECT * FROM machine_keys WHERE machine_id = ? ORDER BY "
                + "created_at DESC", MachineStore::key, machineId));
    }

    /** Retires the current key and installs a new one, only when the current key is still {@code oldKeyId}. */
    public boolean rotateKey(Connection c, String machineId, String oldKeyId, String tpmPublic, String spki)
            throws SQLException {
        long now = System.currentTimeMillis();
        if (Sql.update(c, "UPDATE machine_keys SET retired_at = ? WHERE id = ? AND machine_id = ? AND retired_at IS NULL",
                now, oldKeyId, machineId) != 1) {
            return false;
        }
        insertKey(c, machineId, tpmPublic, spki, now);
        return true;
    }

    /** Moves a machine from one state to another; false when it was not in {@code from} (lost a race). */
    public boolean transition(Connection c, String id, EnrollmentState from, EnrollmentState to) throws SQLException {
        return Sql.update(c, "UPDATE machines SET state = ? WHERE id = ? AND state = ?", to.name(), id, from.name()) == 1;
    }

    public int recordActivationFailure(Connection c, String id) throws SQLException {
        Sql.update(c, "UPDATE machines SET activation_attempts = activation_attempts + 1 WHERE id = ?", id);
        return Sql.one(c, "SELECT activation_attempts FROM machines WHERE id = ?", rs -> rs.getInt(1), id).orElse(0);
    }

    public void recordFirstQuote(Connection c, String id, String pcrsJson) throws SQLException {
        Sql.update(c, "UPDATE machines SET first_quote_pcrs = ?, activation_secret_hash = NULL WHERE id = ?",
                pcrsJson, id);
    }

    public void recordDecision(Connection c, String id, String by, String reason, String baselinePcrs)
            throws SQLException {
        Sql.update(c, "UPDATE machines SET decided_by = ?, decided_at = ?, decision_reason = ?, baseline_pcrs = ? "
                + "WHERE id = ?", by, System.currentTimeMillis(), reason, baselinePcrs, id);
    }

    public void recordRevocation(Connection c, String id, String by, String reason) throws SQLException {
        Sql.update(c, "UPDATE machines SET revoked_by = ?, revoked_at = ?, revoke_reason = ? WHERE id = ?", by,
                System.currentTimeMillis(), reason, id);
    }

    public void setGoldenPcrs(Connection c, String id, String pcrsJson) throws SQLException {
        Sql.update(c, "UPDATE machines SET golden_pcrs = ? WHERE id = ?", pcrsJson, id);
    }

    /** Records one attestation attempt and updates the machine's status in the caller's transaction. */
    public void recordAttestation(Connection c, String machineId, boolean passed, String detail, String pcrsJson)
            throws SQLException {
        long now = System.currentTimeMillis();
        Sql.update(c, "INSERT INTO attestations (id, machine_id, at, outcome, detail, pcrs) VALUES (?, ?, ?, ?, ?, ?)",
                org.stationtrust.server.internal.auth.Secrets.newTimeOrderedId(), machineId, now,
                (passed ? AttestationOutcome.PASSED : AttestationOutcome.FAILED).name(),
                detail, pcrsJson);
        if (passed) {
            Sql.update(c, "UPDATE machines SET attestation_status = 'OK', attestation_failure = NULL, "
                    + "last_attempt_at = ?, last_success_at = ? WHERE id = ?", now, now, machineId);
        } else {
            Sql.update(c, "UPDATE machines SET attestation_status = 'FAILED', attestation_failure = ?, "
                    + "last_attempt_at = ? WHERE id = ?", detail, now, machineId);
        }
    }

    /** What an attestation decided from memory must find unchanged in its transaction (docs/design.md). */
    public record Standing(EnrollmentState state, AttestationStatus attestationStatus, String akPublic) {
    }

    /** The machine's {@link Standing}, read in the caller's transaction; empty when no such machine exists. */
    public Optional<Standing> standing(Connection c, String machineId) throws SQLException {
        return Sql.one(c, "SELECT state, attestation_status, ak_public FROM machines WHERE id = ?",
                rs -> new Standing(EnrollmentState.parse(rs.getString(1)), AttestationStatus.parse(rs.getString(2)),
                        rs.getString(3)), machineId);
    }

    /**
     * Records a passing attestation of a machine that is still ACTIVE, with its firmware column, in the caller's
     * transaction; false, having written nothing, when the machine is no longer ACTIVE (revoked meanwhile).
     *
     * <p>The usual pass changes only the two times: the machine was OK with the same firmware. The first statement
     * writes just those, under that condition, because SQLite rewrites the entries of every index on a column an UPDATE
     * sets, whether its value changed or not (three of this table's indexes cover the status and the firmware); this
     * halves the statement's cost (docs/performance.md). Only when the condition does not hold does the second
     * statement write the status and the firmware too.
     */
    public boolean recordPassIfActive(Connection c, String machineId, String detail, String pcrsJson, String firmware)
            throws SQLException {
        long now = System.currentTimeMillis();
        String active = EnrollmentState.ACTIVE.name();
        if (Sql.update(c, "UPDATE machines SET last_attempt_at = ?, last_success_at = ? WHERE id = ? AND state = ? AND"
                + " attestation_status = 'OK' AND attestation_failure IS NULL AND firmware IS NOT DISTINCT FROM ?", now,
                now, machineId, active, firmware) != 1
                && Sql.update(c, "UPDATE machines SET attestation_status = 'OK', attestation_failure = NULL,"
                + " last_attempt_at = ?, last_success_at = ?, firmware = ? WHERE id = ? AND state = ?", now, now,
                firmware, machineId, active) != 1) {
            return false;
        }
        Sql.update(c, "INSERT INTO attestations (id, machine_id, at, outcome, detail, pcrs) VALUES (?, ?, ?, ?, ?, ?)",
                org.stationtrust.server.internal.auth.Secrets.newTimeOrderedId(), machineId, now,
                AttestationOutcome.PASSED.name(), detail, pcrsJson);
        return true;
    }

    /** An ACTIVE machine the overdue sweep looks at. */
    public record OverdueCandidate(String id, String name, AttestationStatus attestationStatus, Long lastSuccessAt) {
    }

    /**
     * ACTIVE machines still OK (or never attested) whose last success, or approval when there was none, is before
     * {@code cutoff}. A FAILED machine keeps FAILED: it is refused already and its failure was reported.
     */
    public List<OverdueCandidate> overdueCandidates(Connection c, long cutoff, int limit) throws SQLException {
        return Sql.query(c, "SELECT id, name, attestation_status, last_success_at FROM machines WHERE state = ? AND "
                + "attestation_status IN ('OK', 'NONE') AND COALESCE(last_success_at, decided_at, created_at) < ? "
                + "LIMIT ?", rs -> new OverdueCandidate(rs.getString(1), rs.getString(2), AttestationStatus.parse(rs.getString(3)),
                Sql.nullableLong(rs, "last_success_at")), EnrollmentState.ACTIVE.name(), cutoff, limit);
    }

    /** Sets OVERDUE only if the status and age are still what the sweep saw (a quote may have landed meanwhile). */
    public boolean markOverdue(Connection c, String id, AttestationStatus seenStatus, long cutoff) throws SQLException {
        return Sql.update(c, "UPDATE machines SET attestation_status = 'OVERDUE' WHERE id = ? AND state = ? AND "
                + "attestation_status = ? AND COALESCE(last_success_at, decided_at, created_at) < ?", id,
                EnrollmentState.ACTIVE.name(), seenStatus.name(), cutoff) == 1;
    }

    /** PostgreSQL: takes the transaction-scoped advisory lock {@code key}, or answers false when another holds it. */
    public boolean tryAdvisoryLock(Connection c, long key) throws SQLException {
        return Sql.one(c, "SELECT pg_try_advisory_xact_lock(?)", rs -> rs.getBoolean(1), key).orElse(false);
    }

    public List<AttestationRecord> history(String machineId, int limit) {
        return db.withConnection(c -> Sql.query(c, "SELECT * FROM attestations WHERE machine_id = ? ORDER BY at DESC "
                + "LIMIT ?", rs -> new AttestationRecord(rs.getString("id"), rs.getString("machine_id"),
                rs.getLong("at"), AttestationOutcome.parse(rs.getString("outcome")), rs.getString("detail"), rs.getString("pcrs")),
                machineId, limit));
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
            List<ListRow> rows = pageRows(c, LIST_COLUMNS, s, filter, MachineStore::listRow);
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
                + "attestation_status = ? ORDER BY created_at DESC, id DESC LIMIT ?", MachineStore::listRow,
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
                + "id <> ? ORDER BY created_at DESC, id DESC LIMIT ?", MachineStore::listRow, ekName, id, limit));
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

    private static MachineKey key(java.sql.ResultSet rs) throws SQLException {
        return new MachineKey(rs.getString("id"), rs.getString("machine_id"), rs.getString("tpm_public"),
                rs.getString("spki"), rs.getLong("created_at"), Sql.nullableLong(rs, "retired_at"));
    }
}
