package org.stationtrust.agent.internal.service;

import java.util.Optional;
import org.stationtrust.agent.internal.api.ApiRefusal;
import org.stationtrust.agent.internal.api.AttestationAnswer;
import org.stationtrust.agent.internal.api.EnrollmentAnswer;
import org.stationtrust.agent.internal.api.KeyRotationAnswer;
import org.stationtrust.agent.internal.api.RefusalCode;
import org.stationtrust.agent.internal.identity.StationState;

/** The local API's server-facing operations (enroll, attest now, rotate key), with every failure turned into a reason. */
final class ServerOperations {
    private final Optional<ServerSession> server;
    private final StationIdentity identity;

    ServerOperations(Optional<ServerSession> server, StationIdentity identity) {
        this.server = server;
        this.identity = identity;
    }

    public EnrollmentAnswer enroll(Optional<String> enrollmentToken) throws ApiRefusal {
        ServerSession session = server.orElseThrow(() -> new ApiRefusal(RefusalCode.NO_SERVER, "no server.url is configured"));
        if (identity.machine().isEmpty()) throw new ApiRefusal(RefusalCode.TPM_UNAVAILABLE, "enrollment needs a TPM");
        try {
            StationState.EnrollmentPhase phase = session.enrollNow(enrollmentToken);
            return new EnrollmentAnswer(identity.state().machineId(), phase.name());
        } catch (ServerSession.Busy e) {
            throw new ApiRefusal(RefusalCode.AGENT_BUSY, e.getMessage());
        } catch (IllegalStateException e) {
            throw new ApiRefusal(RefusalCode.ALREADY_ENROLLED, e.getMessage());
        } catch (org.stationtrust.agent.internal.server.ServerRefused e) {
            throw new ApiRefusal(RefusalCode.SERVER_REFUSED, e.getMessage());
        } catch (org.stationtrust.agent.internal.server.ServerUnreachable e) {
            throw new ApiRefusal(RefusalCode.SERVER_UNREACHABLE, e.getMessage());
        } catch (org.stationtrust.tpm.TpmException e) {
            throw new ApiRefusal(RefusalCode.TPM_UNAVAILABLE, "the TPM failed during enrollment: " + e.getMessage());
        }
    }

    public AttestationAnswer attestNow() throws ApiRefusal {
        ServerSession session = server.orElseThrow(() -> new ApiRefusal(RefusalCode.NO_SERVER, "no server.url is configured"));
        if (identity.state().phase() != StationState.EnrollmentPhase.ACTIVE) {
            throw new ApiRefusal(RefusalCode.STATION_NOT_ACTIVE, "only an ACTIVE station attests; this one is " + identity.state().phase());
        }
        session.requestAttestation();
        return AttestationAnswer.requested();
    }

    public KeyRotationAnswer rotateKey() throws ApiRefusal {
        ServerSession session = server.orElseThrow(() -> new ApiRefusal(RefusalCode.NO_SERVER, "no server.url is configured"));
        try {
            String keyId = session.rotateKey();
            return new KeyRotationAnswer(keyId, identity.machineKeyNameHex());
        } catch (ServerSession.Busy e) {
            throw new ApiRefusal(RefusalCode.AGENT_BUSY, e.getMessage());
        } catch (IllegalStateException e) {
            throw new ApiRefusal(RefusalCode.STATION_NOT_ACTIVE, e.getMessage());
        } catch (org.stationtrust.agent.internal.server.ServerRefused e) {
            throw new ApiRefusal(RefusalCode.SERVER_REFUSED, e.getMessage());
        } catch (org.stationtrust.agent.internal.server.ServerUnreachable e) {
            throw new ApiRefusal(RefusalCode.SERVER_UNREACHABLE, e.getMessage());
        } catch (org.stationtrust.tpm.TpmException e) {
            throw new ApiRefusal(RefusalCode.TPM_UNAVAILABLE, "the TPM failed during key rotation: " + e.getMessage());
        }
    }
}
