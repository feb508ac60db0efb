package org.stationtrust.server.internal.store;

import java.sql.ResultSet;
import org.stationtrust.server.internal.pcr.PcrPolicy;
import java.sql.SQLException;
import java.time.Instant;
import org.stationtrust.protocol.EnrollmentState;

/**
 * A machine as operators see it (the admin API, the console, approval decisions): its EK certificate facts, where the
 * enrollment came from, its stored PCR values, the decisions taken and where it stands with attestation. Not the
 * enrollment's open challenge or EK public area ({@link MachineStore.PendingEnrollment}), nor what a signed station
 * request reads ({@link StationMachine}).
 *
 * @param akPublic the attestation key's TPM2B_PUBLIC, base64 (the console shows its digest)
 * @param decision the approval or rejection (null while pending)
 * @param revocation the revocation (null unless revoked)
 */
public record MachineDetail(String id, String name, EnrollmentState state, Ek ek, String akPublic, Origin origin,
                            Pcrs pcrs, Decision decision, Decision revocation, Attestation attestation) {

    /**
     * The EK as enrollment found it: its TPM name, certificate (base64 DER, null without one) and what checking the
     * certificate established.
     */
    public record Ek(String name, String certificate, boolean verified, String subject, String issuer, String serial,
                     String tpmManufacturer) {
    }

    /** Where the enrollment came from: when, from which address, with which token, replacing which machine. */
    public record Origin(Instant createdAt, String requestSource, String enrollmentTokenId, String replacesMachine) {
    }

    /**
     * The stored PCR values, JSON with hex values by index (null when absent): the first quote's, the baseline that
     * approval took from it, an admin's golden values, kept as stored for display; {@link #policy} is the policy in
     * force, as a value.
     */
    public record Pcrs(String firstQuote, String baseline, String golden) {
        public PcrPolicy policy() {
            return PcrPolicy.of(golden, baseline);
        }
    }

    /** An operator's (or the server's) decision: who, when, why. */
    public record Decision(String by, Instant at, String reason) {
        static Decision of(String by, Long at, String reason) {
            return by == null && at == null && reason == null ? null : new Decision(by, at == null ? null
                    : Instant.ofEpochMilli(at), reason);
        }
    }

    /** Where the machine stands with attestation, as stored: the sweep or a read may see OK as overdue. */
    public record Attestation(AttestationStatus status, String failure, Instant lastAttempt, Instant lastSuccess) {
    }

    /** The columns {@link #from} reads, for a query over {@code machines}. */
    static final String COLUMNS = "id, name, state, ek_name, ek_certificate, ek_verified, ek_subject, ek_issuer, "
            + "ek_serial, tpm_manufacturer, ak_public, created_at, request_source, enrollment_token_id, replaces_machine, "
            + "first_quote_pcrs, baseline_pcrs, golden_pcrs, decided_by, decided_at, decision_reason, revoked_by, "
            + "revoked_at, revoke_reason, attestation_status, attestation_failure, last_attempt_at, last_success_at";

    static MachineDetail from(ResultSet rs) throws SQLException {
        return new MachineDetail(rs.getString("id"), rs.getString("name"), EnrollmentState.parse(rs.getString("state")),
                new Ek(rs.getString("ek_name"), rs.getString("ek_certificate"), rs.getInt("ek_verified") != 0,
                        rs.getString("ek_subject"), rs.getString("ek_issuer"), rs.getString("ek_serial"),
                        rs.getString("tpm_manufacturer")),
                rs.getString("ak_public"),
                new Origin(Instant.ofEpochMilli(rs.getLong("created_at")), rs.getString("request_source"),
                        rs.getString("enrollment_token_id"), rs.getString("replaces_machine")),
                new Pcrs(rs.getString("first_quote_pcrs"), rs.getString("baseline_pcrs"), rs.getString("golden_pcrs")),
                Decision.of(rs.getString("decided_by"), Sql.nullableLong(rs, "decided_at"), rs.getString("decision_reason")),
                Decision.of(rs.getString("revoked_by"), Sql.nullableLong(rs, "revoked_at"), rs.getString("revoke_reason")),
                new Attestation(AttestationStatus.parse(rs.getString("attestation_status")),
                        rs.getString("attestation_failure"), instant(Sql.nullableLong(rs, "last_attempt_at")),
                        instant(Sql.nullableLong(rs, "last_success_at"))));
    }

    private static Instant instant(Long millis) {
        return millis == null ? null : Instant.ofEpochMilli(millis);
    }

    /** Overdue when the last successful attestation is older than the interval (or never happened). */
    public boolean overdue(long now, long intervalMillis) {
        return overdue(state, attestation.lastSuccess() == null ? null : attestation.lastSuccess().toEpochMilli(), now,
                intervalMillis);
    }

    /** The attestation status as an operator sees it now: OK that is overdue reads OVERDUE. */
    public AttestationStatus attestationSeen(long now, long intervalMillis) {
        return attestation.status().seen(overdue(now, intervalMillis));
    }

    static boolean overdue(EnrollmentState state, Long lastSuccessAt, long now, long intervalMillis) {
        return state == EnrollmentState.ACTIVE && (lastSuccessAt == null || now - lastSuccessAt > intervalMillis);
    }
}
