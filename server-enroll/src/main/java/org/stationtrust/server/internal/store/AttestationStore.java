package org.stationtrust.server.internal.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.stationtrust.protocol.EnrollmentState;

/**
 * A machine's attestation record: each attempt's row in {@code attestations} and the status it leaves on the machine
 * (what the attestation path re-reads in its transaction, docs/design.md; the cheap pass, docs/performance.md), and
 * the overdue sweep's reads and marks.
 */
public final class AttestationStore {
    private final Database db;

    public AttestationStore(Database db) {
        this.db = db;
    }

    public record AttestationRecord(String id, String machineId, long at, AttestationOutcome outcome, String detail,
                                    String pcrs) {
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
}
