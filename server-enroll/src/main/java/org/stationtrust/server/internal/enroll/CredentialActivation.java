package org.stationtrust.server.internal.enroll;

import static org.stationtrust.server.internal.enroll.EnrollmentCheck.decode;
import static org.stationtrust.server.internal.enroll.EnrollmentService.MAX_ACTIVATION_ATTEMPTS;

import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.SortedMap;
import org.stationtrust.protocol.ActivationRequest;
import org.stationtrust.protocol.EnrollmentState;
import org.stationtrust.protocol.ErrorCode;
import org.stationtrust.server.internal.attest.QuoteCheck;
import org.stationtrust.server.internal.audit.AuditLog;
import org.stationtrust.server.internal.audit.AuditOutcome;
import org.stationtrust.server.internal.auth.Secrets;
import org.stationtrust.server.internal.http.ApiException;
import org.stationtrust.server.internal.notify.FleetEvent;
import org.stationtrust.server.internal.notify.FleetEventType;
import org.stationtrust.server.internal.notify.FleetEvents;
import org.stationtrust.server.internal.pcr.PcrMap;
import org.stationtrust.server.internal.store.Database;
import org.stationtrust.server.internal.store.EnrollmentAnswerStore;
import org.stationtrust.server.internal.store.MachineStore;

/**
 * Activation of an enrollment (docs/design.md, "Enrollment" steps 4-5): the proof of TPM residency (the recovered
 * secret) and the first quote move it to PENDING_APPROVAL, and other pending enrollments of the same EK are superseded
 * then; wrong secrets are counted per enrollment and source address.
 */
final class CredentialActivation {
    private final Database db;
    private final MachineStore machines;
    private final AuditLog audit;
    private final FleetEvents events;
    private final EnrollmentAnswerStore answers;
    /** Wrong activation secrets per (enrollment, source address), per server instance. */
    private final java.util.concurrent.ConcurrentHashMap<String, Integer> activationFailures =
            new java.util.concurrent.ConcurrentHashMap<>();

    CredentialActivation(Database db, MachineStore machines, AuditLog audit, FleetEvents events,
                         EnrollmentAnswerStore answers) {
        this.db = db;
        this.machines = machines;
        this.audit = audit;
        this.events = events;
        this.answers = answers;
    }

    /** Checks the proof of TPM residency (the recovered secret) and the first quote. */
    MachineStore.EnrollmentView activate(String machineId, ActivationRequest proof, String requestSource) {
        MachineStore.PendingEnrollment m = machines.findPending(machineId).orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND,
                "No enrollment with id '" + machineId + "'"));
        if (m.state() != EnrollmentState.PENDING_ACTIVATION || m.activationSecretHash() == null) {
            throw new ApiException(ErrorCode.ENROLLMENT_NOT_PENDING, "Enrollment " + machineId + " is " + m.state()
                    + "; only PENDING_ACTIVATION enrollments accept an activation proof");
        }
        byte[] secret = decode("secret", proof.secret(), 64);
        byte[] expected = HexFormat.of().parseHex(m.activationSecretHash());
        String attemptKey = machineId + "|" + requestSource;
        Integer failedBefore = activationFailures.get(attemptKey);
        if (failedBefore != null && failedBefore >= MAX_ACTIVATION_ATTEMPTS) {
            throw new ApiException(ErrorCode.ACTIVATION_FAILED, "This address already sent " + MAX_ACTIVATION_ATTEMPTS
                    + " wrong activation secrets for this enrollment; no further attempts are accepted from it");
        }
        if (!MessageDigest.isEqual(expected, Secrets.sha256(secret))) {
            return refuseWrongSecret(m, attemptKey, requestSource);
        }
        byte[] nonce = HexFormat.of().parseHex(m.firstQuoteNonce());
        // The quote's extraData is checked against the issued nonce below; the field must say the same thing.
        if (!MessageDigest.isEqual(nonce, QuoteCheck.decodeNonce(proof.quote().nonce()))) {
            throw new ApiException(ErrorCode.NONCE_INVALID, "The activation quote's nonce is not the quoteNonce this "
                    + "enrollment was issued; quote over that value and send it unchanged");
        }
        SortedMap<Integer, byte[]> pcrs = QuoteCheck.requireSha256(QuoteCheck.verify(
                org.stationtrust.server.internal.attest.AkKeys.parse(m.akPublic()), nonce, proof.quote()));
        return db.inTransaction(c -> {
            if (!machines.transition(c, machineId, EnrollmentState.PENDING_ACTIVATION, EnrollmentState.PENDING_APPROVAL)) {
                throw new ApiException(ErrorCode.ENROLLMENT_NOT_PENDING, "Enrollment " + machineId + " changed state "
                        + "meanwhile");
            }
            machines.recordFirstQuote(c, machineId, PcrMap.toJson(pcrs));
            answers.forget(c, machineId);
            audit.append(c, "station@" + requestSource, "enrollment.activate", machineId, AuditOutcome.OK,
                    "credential activated, first quote over PCRs " + pcrs.keySet() + "; awaiting approval");
            supersedeOthers(c, m);
            MachineStore.PendingEnrollment pending = machines.findPending(c, machineId).orElseThrow();
            events.emit(c, FleetEvent.of(FleetEventType.ENROLLMENT_PENDING_APPROVAL, machineId, pending.name(),
                    pending.ekVerified() ? "EK certificate verified" : "EK unverified: only an admin may approve"));
            return pending.view();
        });
    }

    /**
     * A wrong secret counts against the enrollment and the address it came from. Only the address that began the
     * enrollment can get it rejected (after {@link EnrollmentService#MAX_ACTIVATION_ATTEMPTS} wrong secrets: the
     * station itself is failing); any other address is merely refused further attempts for it, so nobody who merely
     * knows a machine id can cancel another's enrollment. The secret is 32 random bytes: guessing it is not the threat,
     * denial is.
     */
    private MachineStore.EnrollmentView refuseWrongSecret(MachineStore.PendingEnrollment m, String attemptKey,
                                                          String requestSource) {
        if (activationFailures.size() > 100_000) activationFailures.clear();
        int fromSource = activationFailures.merge(attemptKey, 1, Integer::sum);
        boolean enrollingSource = requestSource.equals(m.requestSource());
        int attempts = db.inTransaction(c -> {
            int n = machines.recordActivationFailure(c, m.id());
            if (enrollingSource && fromSource >= MAX_ACTIVATION_ATTEMPTS
                    && machines.transition(c, m.id(), EnrollmentState.PENDING_ACTIVATION, EnrollmentState.REJECTED)) {
                machines.recordDecision(c, m.id(), "server", "activation proof wrong " + fromSource
                        + " times from the enrolling address", null);
                audit.append(c, "server", "enrollment.reject", m.id(), AuditOutcome.OK,
                        "activation proof wrong " + fromSource
                        + " times from the enrolling address " + requestSource);
                events.emit(c, FleetEvent.of(FleetEventType.MACHINE_REJECTED, m.id(), m.name(), "activation proof wrong "
                        + fromSource + " times (not the TPM that holds the EK)"));
            } else if (!enrollingSource && fromSource == MAX_ACTIVATION_ATTEMPTS) {
                audit.append(c, "anonymous@" + requestSource, "enrollment.activation_blocked", m.id(),
                        AuditOutcome.REFUSED,
                        MAX_ACTIVATION_ATTEMPTS + " wrong activation secrets from an address other than the enrolling "
                                + "one; further attempts from it are refused, the enrollment stays pending");
            }
            return n;
        });
        throw new ApiException(ErrorCode.ACTIVATION_FAILED, "The activation secret is wrong (attempt " + fromSource
                + " of " + MAX_ACTIVATION_ATTEMPTS + " from this address; " + attempts + " in all): only the TPM "
                + "holding the EK can recover it with ActivateCredential for this AK");
    }

    /**
     * The enrollment {@code m} has just proven possession of its EK: other pending enrollments of the same EK (an
     * earlier attempt of the same station, or someone else's replay of its public EK) are superseded now.
     */
    private void supersedeOthers(Connection c, MachineStore.PendingEnrollment m) throws SQLException {
        for (MachineStore.EnrollmentView old : machines.findByEkName(c, m.ekName())) {
            if (old.id().equals(m.id())) continue;
            if (old.state() == EnrollmentState.PENDING_ACTIVATION || old.state() == EnrollmentState.PENDING_APPROVAL) {
                machines.transition(c, old.id(), old.state(), EnrollmentState.REJECTED);
                machines.recordDecision(c, old.id(), "server", "superseded by enrollment " + m.id()
                        + ", which proved possession of the same EK", null);
                audit.append(c, "server", "enrollment.supersede", old.id(), AuditOutcome.OK, "enrollment " + m.id()
                        + " with the same EK activated (proof of possession) and replaced this pending one");
            }
        }
    }

}
