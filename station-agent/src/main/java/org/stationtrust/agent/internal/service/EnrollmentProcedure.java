package org.stationtrust.agent.internal.service;

import java.security.cert.CertificateEncodingException;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stationtrust.agent.AgentConfig;
import org.stationtrust.agent.internal.audit.AuditLog;
import org.stationtrust.agent.internal.identity.StationState.EnrollmentPhase;
import org.stationtrust.agent.internal.queue.Backoff;
import org.stationtrust.agent.internal.server.RequestSigning;
import org.stationtrust.agent.internal.server.ServerClient;
import org.stationtrust.agent.internal.server.ServerRefused;
import org.stationtrust.agent.internal.server.ServerUnreachable;
import org.stationtrust.protocol.EnrollmentRequest;
import org.stationtrust.protocol.EnrollmentState;
import org.stationtrust.protocol.QualifyingData;
import org.stationtrust.tpm.KeyCertification;
import org.stationtrust.tpm.MachineIdentity;
import org.stationtrust.tpm.PcrSelection;
import org.stationtrust.tpm.Quote;
import org.stationtrust.tpm.TpmException;

/**
 * Enrollment as docs/design.md describes it: send EK certificate and public areas with the AK's certification of
 * the machine key, answer the credential challenge with ActivateCredential, send the first quote, and
 * leave the station PENDING_APPROVAL. Every step is audited.
 *
 * <p>An enrollment whose answer does not arrive (timeout, broken connection, HTTP 5xx) is sent again, the same
 * request signed afresh, up to {@link AgentConfig.EnrollmentRetry#attempts()} times: the server may have committed the
 * first attempt and spent the token, and answers the retry with that same enrollment (docs/server-api.md,
 * "Enrollment"). Nothing is stored before sending: what a retry needs after a crash (the keys at their persistent
 * handles, the token the operator holds) is already there, and the server recognises the retry by them.
 */
final class EnrollmentProcedure {
    private static final Logger LOG = LoggerFactory.getLogger(EnrollmentProcedure.class);
    private final StationIdentity identity;
    private final ServerClient server;
    private final AuditLog audit;
    private final List<Integer> pcrs;
    private final AgentConfig.EnrollmentRetry retry;
    private final RequestSigning signing;

    EnrollmentProcedure(StationIdentity identity, ServerClient server, AuditLog audit, List<Integer> pcrs,
                        AgentConfig.EnrollmentRetry retry, java.time.Clock clock) {
        this.identity = identity;
        this.server = server;
        this.audit = audit;
        this.pcrs = pcrs;
        this.retry = retry;
        this.signing = identity.enrollmentSigning(clock);
    }

    EnrollmentPhase enroll(String serverUrl, String machineName, Optional<String> token)
            throws ServerRefused, ServerUnreachable, TpmException {
        if (identity.machine().isEmpty()) {
            throw new IllegalStateException("enrollment needs a TPM; this agent runs without one (tpm.uri: none)");
        }
        KeyCertification certification = identity.call(m -> m.certifyMachineKey(QualifyingData.enrollment(machineName)));
        EnrollmentRequest body = enrollmentBody(identity.current(), machineName, certification, token);
        audit.append("enrollment.submitting", Map.of("server", serverUrl, "machineName", machineName, "withToken", token.isPresent()));
        ServerClient.Challenge challenge = submit(body);
        identity.update(identity.state().withEnrollment(serverUrl, challenge.machineId(), EnrollmentPhase.PENDING_ACTIVATION,
                identity.ekNameHex(), identity.machineKeyNameHex()));
        audit.append("enrollment.challenged", Map.of("machineId", challenge.machineId()));

        byte[] secret = identity.call(m -> m.activateCredential(challenge.credentialBlob(), challenge.encryptedSecret()));
        Quote quote = identity.call(m -> m.quote(challenge.quoteNonce(), selection(pcrs)));
        EnrollmentState state;
        try {
            state = server.activate(challenge.machineId(), secret, new ServerClient.QuoteEvidence(
                    Base64.getEncoder().encodeToString(challenge.quoteNonce()), quote.attest(), quote.signature(), quote.pcrs()));
        } catch (ServerRefused e) {
            audit.append("enrollment.activation_refused", Map.of("machineId", challenge.machineId(), "code", e.code()));
            throw e;
        }
        EnrollmentPhase phase = phaseOf(state);
        identity.update(identity.state().withPhase(phase, phase == EnrollmentPhase.PENDING_APPROVAL
                ? "credential activated; waiting for an administrator to approve this station" : null));
        audit.append("enrollment.activated", Map.of("machineId", challenge.machineId(), "state", state.name()));
        return phase;
    }

    /**
     * Sends the enrollment until it is answered, refused, or the attempts are spent; each attempt signed afresh (the
     * server refuses a signed request's nonce a second time).
     */
    private ServerClient.Challenge submit(EnrollmentRequest body) throws ServerRefused, ServerUnreachable {
        Backoff backoff = new Backoff(retry.initialBackoff(), retry.maxBackoff());
        for (int attempt = 1; ; attempt++) {
            String reason;
            try {
                return server.enroll(body, signing);
            } catch (ServerRefused e) {
                if (e.status() < 500 || attempt >= retry.attempts()) {
                    audit.append("enrollment.refused", Map.of("status", e.status(), "code", e.code(), "attempt", attempt));
                    throw e;
                }
                reason = "HTTP " + e.status() + " " + e.code();
            } catch (ServerUnreachable e) {
                if (e.pinMismatch() || attempt >= retry.attempts()) {
                    audit.append("enrollment.unanswered", Map.of("attempt", attempt, "final", true));
                    throw e;
                }
                reason = e.getMessage();
            }
            Duration wait = backoff.after(attempt);
            audit.append("enrollment.retrying", Map.of("attempt", attempt, "of", retry.attempts(),
                    "retryInMs", wait.toMillis()));
            LOG.warn("event=enrollment.retrying attempt={} of={} retryInMs={} reason=\"{}\"", attempt, retry.attempts(),
                    wait.toMillis(), reason);
            pause(wait);
        }
    }

    private static void pause(Duration wait) throws ServerUnreachable {
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServerUnreachable("interrupted while waiting to send the enrollment again", e);
        }
    }

    /** POST /api/v1/enrollments body (docs/server-api.md): TPM structures and the EK certificate, standard base64. */
    private static EnrollmentRequest enrollmentBody(MachineIdentity machine, String machineName,
                                                    KeyCertification certification, Optional<String> token) {
        Base64.Encoder b64 = Base64.getEncoder();
        String ekCertificate;
        try {
            ekCertificate = b64.encodeToString(machine.endorsementKey().certificate().getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("the EK certificate read from NV cannot be re-encoded", e);
        }
        return new EnrollmentRequest(machineName, ekCertificate, null,
                b64.encodeToString(machine.endorsementKey().publicArea().encoded()),
                b64.encodeToString(machine.attestationKey().publicArea().encoded()),
                b64.encodeToString(machine.machineKey().publicArea().encoded()),
                b64.encodeToString(certification.attest()), b64.encodeToString(certification.signature()), token.orElse(null));
    }

    static PcrSelection selection(List<Integer> pcrs) {
        return PcrSelection.of(pcrs.stream().mapToInt(Integer::intValue).toArray());
    }

    /** The station's phase for a server state (the server's states are the protocol's enum, each has a phase). */
    static EnrollmentPhase phaseOf(EnrollmentState serverState) {
        return switch (serverState) {
            case PENDING_ACTIVATION -> EnrollmentPhase.PENDING_ACTIVATION;
            case PENDING_APPROVAL -> EnrollmentPhase.PENDING_APPROVAL;
            case ACTIVE -> EnrollmentPhase.ACTIVE;
            case REVOKED -> EnrollmentPhase.REVOKED;
            case REJECTED -> EnrollmentPhase.REJECTED;
        };
    }
}
