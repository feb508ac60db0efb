package org.stationtrust.server.internal.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.stationtrust.protocol.EnrollmentState;
import org.stationtrust.server.internal.pcr.PcrMap;
import org.stationtrust.server.internal.pcr.PcrPolicy;
import org.stationtrust.server.internal.store.AttestationOutcome;
import org.stationtrust.server.internal.store.AttestationStatus;
import org.stationtrust.server.internal.store.AttestationStore;
import org.stationtrust.server.internal.store.CredentialStore;
import org.stationtrust.server.internal.store.EnrollmentTokenStore;
import org.stationtrust.server.internal.store.MachineDetail;
import org.stationtrust.server.internal.store.StationMachine;

/**
 * The answers of the operator API (docs/server-api.md, openapi.yaml), one record per shape: a record's components
 * are the answer's fields in their wire order, null values included. Times are ISO-8601 UTC text.
 */
public final class Views {
    private Views() {
    }

    public static String time(Long millis) {
        return millis == null ? null : Instant.ofEpochMilli(millis).toString();
    }

    public static String time(Instant at) {
        return at == null ? null : at.toString();
    }

    /** A decision not taken (yet): every field null. */
    public static final MachineDetail.Decision UNDECIDED = new MachineDetail.Decision(null, null, null);

    /** The same for the machine a signed station request carries. */
    public static String attestation(StationMachine m, long now, long intervalMillis) {
        return m.attestationStatus().seen(m.overdue(now, intervalMillis)).name();
    }

    /** A machine as operators see it: one machine, an element of a list, the result of a decision. */
    public record MachineView(String machineId, String machineName, EnrollmentState state, boolean ekVerified,
                              String ekCertificateSubject, String ekCertificateIssuer, String ekCertificateSerial,
                              String tpmManufacturer, String reenrollmentOf, String enrollmentTokenId,
                              String requestSource, String createdAt, Map<Integer, String> firstQuotePcrs, String policy,
                              String decidedBy, String decidedAt, String decisionReason, String revokedBy,
                              String revokedAt, String revokeReason, AttestationStatus attestationStatus,
                              String attestationFailure, String lastAttestationAttempt,
                              String lastAttestationSuccess) {

        static MachineView of(MachineDetail m, long now, long intervalMillis) {
            MachineDetail.Ek ek = m.ek();
            MachineDetail.Origin origin = m.origin();
            PcrPolicy.Source policy = PcrPolicy.Source.of(m.pcrs().golden(), m.pcrs().baseline());
            MachineDetail.Decision decision = java.util.Objects.requireNonNullElse(m.decision(), UNDECIDED);
            MachineDetail.Decision revocation = java.util.Objects.requireNonNullElse(m.revocation(), UNDECIDED);
            return new MachineView(m.id(), m.name(), m.state(), ek.verified(), ek.subject(), ek.issuer(), ek.serial(),
                    ek.tpmManufacturer(), origin.replacesMachine(), origin.enrollmentTokenId(), origin.requestSource(),
                    time(origin.createdAt()), m.pcrs().firstQuote() == null ? null : PcrMap.toHex(m.pcrs().firstQuote()),
                    policy == PcrPolicy.Source.NONE ? null : policy.label(), decision.by(), time(decision.at()),
                    decision.reason(), revocation.by(), time(revocation.at()), revocation.reason(),
                    m.attestationSeen(now, intervalMillis), m.attestation().failure(), time(m.attestation().lastAttempt()),
                    time(m.attestation().lastSuccess()));
        }
    }

    /**
     * GET /api/v1/admin/enrollments: one page; {@code next} is the cursor of the following page (pass it as
     * {@code after}), null only on the last.
     */
    public record Enrollments(List<MachineView> enrollments, String next) {
    }

    /** GET /api/v1/admin/machines: one page, {@code next} as in {@link Enrollments}. */
    public record Machines(List<MachineView> machines, String next) {
    }

    /** GET /api/v1/admin/machines/{id}/attestations: where the machine stands and its last attempts. */
    public record AttestationHistory(String machineId, AttestationStatus attestationStatus, String lastAttempt,
                                     String lastSuccess, List<AttestationView> history) {
    }

    /** One attestation attempt. */
    public record AttestationView(String at, AttestationOutcome outcome, String detail) {
        static AttestationView of(AttestationStore.AttestationRecord r) {
            return new AttestationView(time(r.at()), r.outcome(), r.detail());
        }
    }

    /** GET /api/v1/admin/machines/{id}/packets: receipts only, never a packet's content. */
    public record Packets(String machineId, long total, List<PacketView> packets, String next) {
    }

    public record PacketView(String packetId, String sha256, String keyId, String receivedAt) {
    }

    /** GET /api/v1/admin/machines/{id}/audit-events: the station's own events, their fields nested as JSON. */
    public record StationEvents(String machineId, long total, List<StationEventView> events, String next) {
    }

    public record StationEventView(String eventId, String time, String event, JsonNode fields, String receivedAt) {
    }

    /** GET /api/v1/admin/enrollment-tokens: one page, {@code next} as in {@link Enrollments}. */
    public record EnrollmentTokens(List<EnrollmentTokenView> enrollmentTokens, String next) {
    }

    public record EnrollmentTokenView(String id, String note, String createdBy, String createdAt, String expiresAt,
                                      EnrollmentTokenStore.EnrollmentToken.Status status, String usedBy) {
    }

    /** A newly issued enrollment token: the plain token is in this answer only. */
    public record IssuedEnrollmentToken(String id, String token, String expiresAt) {
    }

    /** A token or webhook whose status an operator changed. */
    public record StatusChanged<S extends Enum<S>>(String id, S status) {
    }

    /** GET /api/v1/admin/audit: one page, newest first; {@code next} is passed back as {@code ?after=}. */
    public record AuditEvents(List<AuditEventView> events, String next) {
    }

    public record AuditEventView(long seq, String at, String actor, String action, String subject, String outcome,
                                 String detail, String hash) {
    }

    /** GET /api/v1/admin/audit/verify. */
    public record AuditVerification(boolean intact, long rows, List<String> problems, boolean full, long verifiedFrom) {
    }

    /** An element of GET /api/v1/admin/users (a bare array). */
    public record UserView(String username, String role, String createdAt, boolean disabled) {
    }

    /** POST /api/v1/admin/users. */
    public record UserAdded(String username) {
    }

    /** POST /api/v1/admin/users/{id}/disable and /enable. */
    public record UserDisabled(String username, boolean disabled) {
    }

    /** POST /api/v1/admin/users/{id}/remove. */
    public record UserRemoved(String username, boolean removed) {
    }

    /** POST /api/v1/admin/users/{id}/password-reset: the one-time token, shown once. */
    public record PasswordResetIssued(String username, String token, String expiresAt) {
    }

    /** An operator's password changed (their own, or by a reset token). */
    public record PasswordChanged(String username, boolean changed) {
    }

    /** GET /api/v1/admin/api-tokens. */
    public record ApiTokens(List<ApiTokenView> apiTokens) {
    }

    public record ApiTokenView(String id, String username, String label, String createdAt, String expiresAt,
                               CredentialStore.ApiToken.Status status) {
    }

    /** POST /api/v1/admin/api-tokens: the plain token, shown once. */
    public record IssuedApiToken(String token) {
    }

    /** GET /health and GET /ready. */
    public record Health(String status) {
    }
}
