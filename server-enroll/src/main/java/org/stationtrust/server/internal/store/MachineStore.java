package org.stationtrust.server.internal.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.stationtrust.protocol.EnrollmentState;

/**
 * The machine rows through enrollment and decisions (their state, endorsement, open activation and the operator's
 * decisions) and their signing keys. State changes are conditional updates. Attestation results live in
 * {@link AttestationStore}, the console's and operator API's lists in {@link MachineListing}.
 */
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

    void insertKey(Connection c, String machineId, String tpmPublic, String spki, long now) throws SQLException {
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

    private static MachineKey key(java.sql.ResultSet rs) throws SQLException {
        return new MachineKey(rs.getString("id"), rs.getString("machine_id"), rs.getString("tpm_public"),
                rs.getString("spki"), rs.getLong("created_at"), Sql.nullableLong(rs, "retired_at"));
    }
}
