package org.stationtrust.server.internal.store;

/**
 * Spent server nonces (attestation, key rotation; issued statelessly, see {@code NonceTokens}) and the replay
 * store for signed-request nonces. Consumption is one INSERT .. ON CONFLICT DO NOTHING under a unique key: the
 * database decides, so two server instances can never both accept the same nonce.
 */
public final class NonceStore {
    private final Database db;

    public NonceStore(Database db) {
        this.db = db;
    }

    /**
     * Marks a verified nonce spent, in the caller's transaction: true the first time, false ever after (on any
     * instance). The row is kept until a day after the nonce expired; by then its expiry alone refuses it.
     */
    public boolean consume(java.sql.Connection c, String nonceHex, String machineId, String purpose, long expiresAt,
                           long now) throws java.sql.SQLException {
        // Keyed by (expires_at, nonce): expiresAt is the one MACed inside the nonce, so the key is the nonce's own.
        return Sql.update(c, "INSERT INTO attestation_nonces (expires_at, nonce, machine_id, purpose, created_at, "
                + "consumed_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (expires_at, nonce) DO NOTHING", expiresAt, nonceHex,
                machineId, purpose, now, now) == 1;
    }

    /**
     * What spent a nonce, in the caller's transaction: the purpose its row was written with, or empty when it is
     * unspent (or its row was purged, a day after it expired).
     */
    public java.util.Optional<String> spentAs(java.sql.Connection c, String nonceHex, long expiresAt)
            throws java.sql.SQLException {
        return Sql.one(c, "SELECT purpose FROM attestation_nonces WHERE expires_at = ? AND nonce = ?",
                rs -> rs.getString(1), expiresAt, nonceHex);
    }

    /** Records a signed request's nonce; false when this machine already used it (a replay). */
    public boolean recordRequestNonce(String machineId, String nonce, long expiresAt) {
        return db.batched(c -> recordRequestNonce(c, machineId, nonce, expiresAt));
    }

    /** The same in the caller's transaction. */
    public boolean recordRequestNonce(java.sql.Connection c, String machineId, String nonce, long expiresAt)
            throws java.sql.SQLException {
        return Sql.update(c, "INSERT INTO request_nonces (machine_id, nonce, expires_at) VALUES (?, ?, ?) ON CONFLICT "
                + "(machine_id, nonce) DO NOTHING", machineId, nonce, expiresAt) == 1;
    }

    /** Deletes nonces past their expiry; a request nonce outlives the timestamp window, so no replay slips in. */
    public int purgeExpired(long now) {
        return db.write(c -> Sql.update(c, "DELETE FROM request_nonces WHERE expires_at < ?", now)
                + Sql.update(c, "DELETE FROM attestation_nonces WHERE expires_at < ?", now - 86_400_000L));
    }
}
