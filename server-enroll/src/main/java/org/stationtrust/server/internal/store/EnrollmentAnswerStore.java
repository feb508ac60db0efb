package org.stationtrust.server.internal.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;

/**
 * The credential challenge each pending enrollment was answered with (V13), so that a retry of the same enrollment
 * gets the same answer. The challenge is encrypted to the EK (TPM 2.0 Part 1 §24, MakeCredential): only that TPM can
 * recover its secret, so keeping it is no secret kept. The row goes at activation or expiry, or at the next sweep
 * once the enrollment was rejected or superseded.
 */
public final class EnrollmentAnswerStore {

    /** The challenge as sent: {@code TPM2B_ID_OBJECT} and {@code TPM2B_ENCRYPTED_SECRET} contents, base64. */
    public record StoredChallenge(String credentialBlob, String encryptedSecret) {
    }

    public void save(Connection c, String machineId, StoredChallenge challenge, long now) throws SQLException {
        Sql.update(c, "INSERT INTO enrollment_answers (machine_id, credential_blob, encrypted_secret, created_at) "
                + "VALUES (?, ?, ?, ?)", machineId, challenge.credentialBlob(), challenge.encryptedSecret(), now);
    }

    public Optional<StoredChallenge> find(Connection c, String machineId) throws SQLException {
        return Sql.one(c, "SELECT credential_blob, encrypted_secret FROM enrollment_answers WHERE machine_id = ?",
                rs -> new StoredChallenge(rs.getString(1), rs.getString(2)), machineId);
    }

    /** Forgets the answer of an enrollment that no longer accepts a retry (activated, expired). */
    public void forget(Connection c, String machineId) throws SQLException {
        Sql.update(c, "DELETE FROM enrollment_answers WHERE machine_id = ?", machineId);
    }

    /** Forgets the answers of every enrollment that left PENDING_ACTIVATION otherwise (rejected, superseded). */
    public int forgetSettled(Connection c) throws SQLException {
        return Sql.update(c, "DELETE FROM enrollment_answers WHERE machine_id IN (SELECT id FROM machines WHERE state "
                + "<> 'PENDING_ACTIVATION')");
    }
}
