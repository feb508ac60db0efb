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
    public record NewMachine(String id, String name, String ekPublic, String ekName, String ekCertificate,
                             boolean ekVerified, String ekSubject, String ekIssuer, String ekSerial,
                             String tpmManufacturer, String akPublic, String replacesMachine, String requestSource,
                             String activationSecretHash, String firstQuoteNonce) {
    }

    public record MachineKey(String id, String machineId, String tpmPublic, String spki, long createdAt,
                             Long retiredAt) {
    }

    public record AttestationRecord(String id, String machineId, long at, String outcome, String detail, String pcrs) {
    }

    public void insert(Connection c, NewMachine m, String enrollmentTokenId, String keyTpmPublic, String keySpki)
            throws SQLException {
        long now = System.currentTimeMillis();
        Sql.update(c, "INSERT INTO machines (id, name, state, ek_public, ek_name, ek_certificate, ek_verified, "
                + "ek_subject, ek_issuer, ek_serial, tpm_manufacturer, ak_public, replaces_machine, enrollment_token_id, "
                + "request_source, created_at, activation_secret_hash, activation_attempts, first_quote_nonce, "
                + "attestation_status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, 'NONE')",
                m.id(), m.name(), EnrollmentState.PENDING_ACTIVATION.name(), m.ekPublic(), m.ekName(),
                m.ekCertificate(), m.ekVerified(), m.ekSubject(), m.ekIssuer(), m.ekSerial(), m.tpmManufacturer(),
                m.akPublic(), m.replacesMachine(), enrollmentTokenId, m.requestSource(), now,
                m.activationSecretHash(), m.firstQuoteNonce());
        insertKey(c, m.id(), keyTpmPublic, keySpki, now);
    }

    public void insertKey(Connection c, String machineId, String tpmPublic, String spki, long now) throws SQLException {
        Sql.update(c, "INSERT INTO machine_keys (id, machine_id, tpm_public, spki, created_at) VALUES (?, ?, ?, ?, ?)",
                org.stationtrust.server.internal.auth.Secrets.newId(), machineId, tpmPublic, spki, now);
    }

    public Optional<Machine> find(String id) {
        return db.withConnection(c -> find(c, id));
    }

    public Optional<Machine> find(Connection c, String id) throws SQLException {
        return Sql.one(c, "SELECT * FROM machines WHERE id = ?", Machine::from, id);
    }

    /** Earlier machines enrolled with the same EK (by EK name), newest first. */
    public List<Machine> findByEkName(Connection c, String ekName) throws SQLException {
        return Sql.query(c, "SELECT * FROM machines WHERE ek_name = ? ORDER BY created_at DESC", Machine::from, ekName);
    }

    /** Ids of enrollments still waiting for activation that began before cutoff (at most 500 per call). */
    public List<String> unactivatedBefore(Connection c, long cutoff) throws SQLException {
        return Sql.query(c, "SELECT id FROM machines WHERE state = ? AND created_at < ? LIMIT 500",
                rs -> rs.getString(1), EnrollmentState.PENDING_ACTIVATION.name(), cutoff);
    }

    public List<Machine> list(EnrollmentState state) {
        return db.withConnection(c -> Sql.query(c, "SELECT * FROM machines WHERE state = ? ORDER BY created_at DESC",
                Machine::from, state.name()));
    }

    public List<Machine> listAll() {
        return db.withConnection(c -> Sql.query(c, "SELECT * FROM machines ORDER BY created_at DESC LIMIT 1000",
                Machine::from));
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
                org.stationtrust.server.internal.auth.Secrets.newTimeOrderedId(), machineId, now, passed ? "PASSED" : "FAILED",
                detail, pcrsJson);
        if (passed) {
            Sql.update(c, "UPDATE machines SET attestation_status = 'OK', attestation_failure = NULL, "
                    + "last_attempt_at = ?, last_success_at = ? WHERE id = ?", now, now, machineId);
        } else {
            Sql.update(c, "UPDATE machines SET attestation_status = 'FAILED', attestation_failure = ?, "
                    + "last_attempt_at = ? WHERE id = ?", detail, now, machineId);
        }
    }

    /** An ACTIVE machine the overdue sweep looks at. */
    public record OverdueCandidate(String id, String name, String attestationStatus, Long lastSuccessAt) {
    }

    /**
     * ACTIVE machines still OK (or never attested) whose last success, or approval when there was none, is before
     * {@code cutoff}. A FAILED machine keeps FAILED: it is refused already and its failure was reported.
     */
    public List<OverdueCandidate> overdueCandidates(Connection c, long cutoff, int limit) throws SQLException {
        return Sql.query(c, "SELECT id, name, attestation_status, last_success_at FROM machines WHERE state = ? AND "
                + "attestation_status IN ('OK', 'NONE') AND COALESCE(last_success_at, decided_at, created_at) < ? "
                + "LIMIT ?", rs -> new OverdueCandidate(rs.getString(1), rs.getString(2), rs.getString(3),
                Sql.nullableLong(rs, "last_success_at")), EnrollmentState.ACTIVE.name(), cutoff, limit);
    }

    /** Sets OVERDUE only if the status and age are still what the sweep saw (a quote may have landed meanwhile). */
    public boolean markOverdue(Connection c, String id, String seenStatus, long cutoff) throws SQLException {
        return Sql.update(c, "UPDATE machines SET attestation_status = 'OVERDUE' WHERE id = ? AND state = ? AND "
                + "attestation_status = ? AND COALESCE(last_success_at, decided_at, created_at) < ?", id,
                EnrollmentState.ACTIVE.name(), seenStatus, cutoff) == 1;
    }

    /** PostgreSQL: takes the transaction-scoped advisory lock {@code key}, or answers false when another holds it. */
    public boolean tryAdvisoryLock(Connection c, long key) throws SQLException {
        return Sql.one(c, "SELECT pg_try_advisory_xact_lock(?)", rs -> rs.getBoolean(1), key).orElse(false);
    }

    public List<AttestationRecord> history(String machineId, int limit) {
        return db.withConnection(c -> Sql.query(c, "SELECT * FROM attestations WHERE machine_id = ? ORDER BY at DESC "
                + "LIMIT ?", rs -> new AttestationRecord(rs.getString("id"), rs.getString("machine_id"),
                rs.getLong("at"), rs.getString("outcome"), rs.getString("detail"), rs.getString("pcrs")),
                machineId, limit));
    }

    private static MachineKey key(java.sql.ResultSet rs) throws SQLException {
        return new MachineKey(rs.getString("id"), rs.getString("machine_id"), rs.getString("tpm_public"),
                rs.getString("spki"), rs.getLong("created_at"), Sql.nullableLong(rs, "retired_at"));
    }
}
