package org.stationtrust.server.internal.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import org.stationtrust.protocol.EnrollmentState;

/** A machine row: its enrollment, keys (public only), decision and attestation status. */
public record Machine(String id, String name, EnrollmentState state, String ekPublic, String ekName,
                      String ekCertificate, boolean ekVerified, String ekSubject, String ekIssuer, String ekSerial,
                      String tpmManufacturer, String akPublic, String replacesMachine, String enrollmentTokenId,
                      String requestSource, long createdAt, String activationSecretHash, int activationAttempts,
                      String firstQuoteNonce, String firstQuotePcrs, String baselinePcrs, String goldenPcrs,
                      String decidedBy, Long decidedAt, String decisionReason, String revokedBy, Long revokedAt,
                      String revokeReason, AttestationStatus attestationStatus, String attestationFailure, Long lastAttemptAt,
                      Long lastSuccessAt) {

    static Machine from(ResultSet rs) throws SQLException {
        return new Machine(rs.getString("id"), rs.getString("name"), EnrollmentState.parse(rs.getString("state")),
                rs.getString("ek_public"), rs.getString("ek_name"), rs.getString("ek_certificate"),
                rs.getInt("ek_verified") != 0, rs.getString("ek_subject"), rs.getString("ek_issuer"),
                rs.getString("ek_serial"), rs.getString("tpm_manufacturer"), rs.getString("ak_public"),
                rs.getString("replaces_machine"), rs.getString("enrollment_token_id"), rs.getString("request_source"),
                rs.getLong("created_at"), rs.getString("activation_secret_hash"), rs.getInt("activation_attempts"),
                rs.getString("first_quote_nonce"), rs.getString("first_quote_pcrs"), rs.getString("baseline_pcrs"),
                rs.getString("golden_pcrs"), rs.getString("decided_by"), Sql.nullableLong(rs, "decided_at"),
                rs.getString("decision_reason"), rs.getString("revoked_by"), Sql.nullableLong(rs, "revoked_at"),
                rs.getString("revoke_reason"), AttestationStatus.parse(rs.getString("attestation_status")), rs.getString("attestation_failure"),
                Sql.nullableLong(rs, "last_attempt_at"), Sql.nullableLong(rs, "last_success_at"));
    }

    /** Overdue when the last successful attestation is older than the interval (or never happened). */
    public boolean overdue(long now, long intervalMillis) {
        return overdue(state, lastSuccessAt, now, intervalMillis);
    }

    static boolean overdue(EnrollmentState state, Long lastSuccessAt, long now, long intervalMillis) {
        return state == EnrollmentState.ACTIVE && (lastSuccessAt == null || now - lastSuccessAt > intervalMillis);
    }
}
