package org.stationtrust.server.internal.store;

/**
 * Single-use server nonces (attestation, key rotation) and the replay store for signed-request nonces.
 * Consumption is one conditional UPDATE / one INSERT .. ON CONFLICT DO NOTHING: the database decides,
 * so two server instances can never both accept the same nonce.
 */
public final class NonceStore {
    private final Database db;

    public NonceStore(Database db) {
        this.db = db;
    }

    public void issue(String nonceHex, String machineId, String purpose, long expiresAt) {
        db.write(c -> Sql.update(c, "INSERT INTO attestation_nonces (nonce, machine_id, purpose, created_at, "
                + "expires_at) VALUES (?, ?, ?, ?, ?)", nonceHex, machineId, purpose, System.currentTimeMillis(),
                expiresAt));
    }

    /** True exactly once for an issued, unexpired nonce of this machine and purpose. */
    public boolean consume(String nonceHex, String machineId, String purpose, long now) {
        return db.write(c -> Sql.update(c, "UPDATE attestation_nonces SET consumed_at = ? WHERE nonce = ? AND "
                + "machine_id = ? AND purpose = ? AND consumed_at IS NULL AND expires_at > ?", now, nonceHex, machineId,
                purpose, now) == 1);
    }

    /** Records a signed request's nonce; false when this machine already used it (a replay). */
    public boolean recordRequestNonce(String machineId, String nonce, long expiresAt) {
        return db.write(c -> Sql.update(c, "INSERT INTO request_nonces (machine_id, nonce, expires_at) VALUES "
                + "(?, ?, ?) ON CONFLICT (machine_id, nonce) DO NOTHING", machineId, nonce, expiresAt) == 1);
    }

    /** Deletes nonces past their expiry; a request nonce outlives the timestamp window, so no replay slips in. */
    public int purgeExpired(long now) {
        return db.write(c -> Sql.update(c, "DELETE FROM request_nonces WHERE expires_at < ?", now)
                + Sql.update(c, "DELETE FROM attestation_nonces WHERE expires_at < ?", now - 86_400_000L));
    }
}
