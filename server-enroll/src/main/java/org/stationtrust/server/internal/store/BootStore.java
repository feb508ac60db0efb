package org.stationtrust.server.internal.store;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * Measured-boot storage (migration V6): named policies with at most one default, and per machine its
 * assigned policy, the last boot judged, the last boot accepted (log kept) and a flagged log.
 */
public final class BootStore {
    private final Database db;

    public BootStore(Database db) {
        this.db = db;
    }

    public record StoredPolicy(String name, String document, boolean isDefault, String updatedBy, long updatedAt) {
    }

    /** One machine's row; every field but the id may be null (nothing judged or accepted yet). */
    public record MachineBoot(String machineId, String policyName, String acceptedLogSha256, String acceptedLog,
            String acceptedSummary, Long acceptedAt, String lastResult, String lastRule, Long lastEvent,
            String lastMessage, String lastChanges, String lastState, String lastPcrs, Long lastAt, String flaggedLog,
            Long flaggedAt, String lastOtherPcrs) {
    }

    /**
     * The last verdict; {@code accepted} and {@code flagged} carry the log to keep, or null. {@code firmwareVersions}
     * are those of {@code state} (empty without one), for the machine's firmware column ({@link FirmwareColumn}).
     * {@code pcrs} are the quoted SHA-256 values, {@code otherPcrs} those of the quote's other banks (JSON by bank
     * name, migration V14) or null.
     */
    public record Judged(String result, String rule, Integer event, String message, String changes, String state,
            List<String> firmwareVersions, String pcrs, String logSha256, String acceptedLog, String acceptedSummary,
            String flaggedLog, String otherPcrs) {
        public Judged {
            firmwareVersions = List.copyOf(firmwareVersions);
        }

        /** A verdict on a quote of the SHA-256 bank alone. */
        public Judged(String result, String rule, Integer event, String message, String changes, String state,
                List<String> firmwareVersions, String pcrs, String logSha256, String acceptedLog, String acceptedSummary,
                String flaggedLog) {
            this(result, rule, event, message, changes, state, firmwareVersions, pcrs, logSha256, acceptedLog,
                    acceptedSummary, flaggedLog, null);
        }
    }

    public void putPolicy(Connection c, String name, String document, String who) throws SQLException {
        Sql.update(c, "INSERT INTO boot_policies (name, document, is_default, updated_by, updated_at) VALUES (?, ?, 0, ?, ?)"
                + " ON CONFLICT (name) DO UPDATE SET document = excluded.document, updated_by = excluded.updated_by,"
                + " updated_at = excluded.updated_at", name, document, who, System.currentTimeMillis());
    }

    /** Makes {@code name} the only default policy (null: no default). */
    public void setDefault(Connection c, String name) throws SQLException {
        Sql.update(c, "UPDATE boot_policies SET is_default = 0 WHERE is_default <> 0");
        if (name != null) {
            Sql.update(c, "UPDATE boot_policies SET is_default = 1 WHERE name = ?", name);
        }
    }

    public List<StoredPolicy> policies() {
        return db.withConnection(c -> Sql.query(c, "SELECT * FROM boot_policies ORDER BY name", BootStore::policy));
    }

    public Optional<StoredPolicy> policy(String name) {
        return db.withConnection(c -> policy(c, name));
    }

    /** The same, in the caller's connection (and transaction, when it has one). */
    public Optional<StoredPolicy> policy(Connection c, String name) throws SQLException {
        return Sql.one(c, "SELECT * FROM boot_policies WHERE name = ?", BootStore::policy, name);
    }

    /** The default policy, read in the caller's connection (and transaction, when it has one). */
    public Optional<StoredPolicy> defaultPolicy(Connection c) throws SQLException {
        return Sql.one(c, "SELECT * FROM boot_policies WHERE is_default <> 0", BootStore::policy);
    }

    /**
     * What an unchanged boot is checked against: the small row every attestation reads, without the documents
     * (machine_boot_documents, migration V15). {@code lastStateSha256} is {@link #stateDigest} of the last state.
     */
    public record Glance(String policyName, String acceptedLogSha256, String lastResult, String lastPcrs,
            String lastStateSha256) {
    }

    public Optional<Glance> glance(Connection c, String machineId) throws SQLException {
        return Sql.one(c, "SELECT policy_name, accepted_log_sha256, last_result, last_pcrs, last_state_sha256 FROM"
                + " machine_boot WHERE machine_id = ?", rs -> new Glance(rs.getString(1), rs.getString(2),
                rs.getString(3), rs.getString(4), rs.getString(5)), machineId);
    }

    /** How a recorded boot state is told apart without reading it: the SHA-256 (hex) of its JSON; null for none. */
    public static String stateDigest(String stateJson) {
        return stateJson == null ? null : java.util.HexFormat.of().formatHex(
                org.stationtrust.tpm.verify.HashAlgorithm.SHA256.digest(stateJson.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Records an unchanged boot passing again, in the attestation's transaction, once the caller read in it that the
     * stored boot is the one repeated ({@link Glance}: the same accepted log, values and state digest): the accepted
     * log, the state, the quoted SHA-256 values and the firmware column are already those of the verdict it repeats,
     * so only the small row's result, message and time are written.
     */
    public void recordRepeated(Connection c, String machineId, String result, String message, String otherPcrs)
            throws SQLException {
        Sql.update(c, "UPDATE machine_boot SET last_result = ?, last_rule = NULL, last_event = NULL, last_message = ?,"
                + " last_changes = '[]', last_other_pcrs = ?, last_at = ? WHERE machine_id = ?",
                result, message, otherPcrs, System.currentTimeMillis(), machineId);
    }

    /** The SHA-256 of the machine's accepted boot log, read from the small row alone (a signed nonce answers it). */
    public Optional<String> acceptedLogSha256(String machineId) {
        return db.withConnection(c -> glance(c, machineId)).map(Glance::acceptedLogSha256);
    }

    /** The machine's boot row with its documents (machine_boot_documents, kept apart: migration V15). */
    public Optional<MachineBoot> machine(String machineId) {
        return db.withConnection(c -> Sql.one(c, "SELECT b.*, d.accepted_log, d.accepted_summary, d.last_state,"
                + " d.flagged_log FROM machine_boot b LEFT JOIN machine_boot_documents d ON d.machine_id = b.machine_id"
                + " WHERE b.machine_id = ?", BootStore::machine, machineId));
    }

    public void assign(Connection c, String machineId, String policyName) throws SQLException {
        Sql.update(c, "INSERT INTO machine_boot (machine_id, policy_name) VALUES (?, ?) ON CONFLICT (machine_id)"
                + " DO UPDATE SET policy_name = excluded.policy_name", machineId, policyName);
    }

    /**
     * The result of the last boot judged for this machine, read in the caller's transaction (so a verdict recorded
     * next is compared with exactly the one it replaces); empty when none was judged yet.
     */
    public Optional<String> lastResult(Connection c, String machineId) throws SQLException {
        List<String> rows = Sql.query(c, "SELECT last_result FROM machine_boot WHERE machine_id = ?"
                + " AND last_result IS NOT NULL", rs -> rs.getString(1), machineId);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    /** The machine's name (for a notification about it), read in the caller's transaction; "" when unknown. */
    public String machineName(Connection c, String machineId) throws SQLException {
        return Sql.one(c, "SELECT name FROM machines WHERE id = ?", rs -> rs.getString(1), machineId).orElse("");
    }

    /**
     * Records a verdict in the attestation's transaction, the machine's firmware column with it; accepted and flagged
     * logs only when given.
     */
    public void record(Connection c, String machineId, Judged j) throws SQLException {
        long now = System.currentTimeMillis();
        Sql.update(c, "INSERT INTO machine_boot (machine_id) VALUES (?) ON CONFLICT (machine_id) DO NOTHING", machineId);
        Sql.update(c, "UPDATE machine_boot SET last_result = ?, last_rule = ?, last_event = ?, last_message = ?,"
                + " last_changes = ?, last_state_sha256 = ?, last_pcrs = ?, last_other_pcrs = ?, last_at = ?"
                + " WHERE machine_id = ?", j.result(), j.rule(), j.event(), j.message(), j.changes(),
                stateDigest(j.state()), j.pcrs(), j.otherPcrs(), now, machineId);
        Sql.update(c, "INSERT INTO machine_boot_documents (machine_id, last_state) VALUES (?, ?) ON CONFLICT"
                + " (machine_id) DO UPDATE SET last_state = excluded.last_state", machineId, j.state());
        // the list's firmware filter reads this column by index; it changes exactly when last_state does
        Sql.update(c, "UPDATE machines SET firmware = ? WHERE id = ?", FirmwareColumn.label(j.firmwareVersions()),
                machineId);
        if (j.acceptedSummary() != null) {
            Sql.update(c, "UPDATE machine_boot SET accepted_log_sha256 = ?, accepted_at = ? WHERE machine_id = ?",
                    j.logSha256(), now, machineId);
            Sql.update(c, "UPDATE machine_boot_documents SET accepted_summary = ?, accepted_log = COALESCE(?,"
                    + " accepted_log) WHERE machine_id = ?", j.acceptedSummary(), j.acceptedLog(), machineId);
        }
        if (j.flaggedLog() != null) {
            Sql.update(c, "UPDATE machine_boot SET flagged_at = ? WHERE machine_id = ?", now, machineId);
            Sql.update(c, "UPDATE machine_boot_documents SET flagged_log = ? WHERE machine_id = ?", j.flaggedLog(),
                    machineId);
        }
    }

    private static StoredPolicy policy(ResultSet rs) throws SQLException {
        return new StoredPolicy(rs.getString("name"), rs.getString("document"), rs.getInt("is_default") != 0,
                rs.getString("updated_by"), rs.getLong("updated_at"));
    }

    private static MachineBoot machine(ResultSet rs) throws SQLException {
        return new MachineBoot(rs.getString("machine_id"), rs.getString("policy_name"),
                rs.getString("accepted_log_sha256"), rs.getString("accepted_log"), rs.getString("accepted_summary"),
                Sql.nullableLong(rs, "accepted_at"), rs.getString("last_result"), rs.getString("last_rule"),
                Sql.nullableLong(rs, "last_event"), rs.getString("last_message"), rs.getString("last_changes"),
                rs.getString("last_state"), rs.getString("last_pcrs"), Sql.nullableLong(rs, "last_at"), rs.getString("flagged_log"),
                Sql.nullableLong(rs, "flagged_at"), rs.getString("last_other_pcrs"));
    }
}
