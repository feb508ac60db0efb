package org.stationtrust.agent.internal.service;

import java.security.cert.CertificateEncodingException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.stationtrust.agent.internal.audit.AuditLog;
import org.stationtrust.agent.internal.identity.StationState.EnrollmentPhase;
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
 */
final class EnrollmentProcedure {
    private final StationIdentity identity;
    private final ServerClient server;
    private final AuditLog audit;
    private final List<Integer> pcrs;

    EnrollmentProcedure(StationIdentity identity, ServerClient server, AuditLog audit, List<Integer> pcrs) {
        this.identity = identity;
        this.server = server;
        this.audit = audit;
        this.pcrs = pcrs;
    }

    EnrollmentPhase enroll(String serverUrl, String machineName, Optional<String> token)
            throws ServerRefused, ServerUnreachable, TpmException {
        if (identity.machine().isEmpty()) {
            throw new IllegalStateException("enrollment needs a TPM; this agent runs without one (tpm.uri: none)");
        }
        KeyCertification certification = identity.call(m -> m.certifyMachineKey(QualifyingData.enrollment(machineName)));
        EnrollmentRequest body = enrollmentBody(identity.current(), machineName, certification, token);
        audit.append("enrollment.submitting", Map.of("server", serverUrl, "machineName", machineName, "withToken", token.isPresent()));
        ServerClient.Challenge challenge;
        try {
            challenge = server.enroll(body);
        } catch (ServerRefused e) {
            audit.append("enrollment.refused", Map.of("status", e.status(), "code", e.code()));
            throw e;
        }
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
