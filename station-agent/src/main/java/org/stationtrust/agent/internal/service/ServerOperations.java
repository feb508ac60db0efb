package org.stationtrust.agent.internal.service;

import java.util.Map;
import java.util.Optional;
import org.stationtrust.agent.internal.api.ApiRefusal;
import org.stationtrust.agent.internal.identity.StationState;

/** The local API's server-facing operations (enroll, attest now, rotate key), with every failure turned into a reason. */
final class ServerOperations {
    private final Optional<ServerSession> server;
    private final StationIdentity identity;

    ServerOperations(Optional<ServerSession> server, StationIdentity identity) {
        this.server = server;
        this.identity = identity;
    }

    public Map<String, Object> enroll(Optional<String> enrollmentToken) throws ApiRefusal {
        ServerSession session = server.orElseThrow(() -> new ApiRefusal(409, "no_server", "no server.url is configured"));
        if (identity.machine().isEmpty()) throw new ApiRefusal(503, "tpm_unavailable", "enrollment needs a TPM");
        try {
            StationState.EnrollmentPhase phase = session.enrollNow(enrollmentToken);
            return Map.of("machineId", identity.state().machineId(), "enrollment", phase.name());
        } catch (IllegalStateException e) {
            throw new ApiRefusal(409, "already_enrolled", e.getMessage());
        } catch (org.stationtrust.agent.internal.server.ServerRefused e) {
            throw new ApiRefusal(502, "server_refused", e.getMessage());
        } catch (org.stationtrust.agent.internal.server.ServerUnreachable e) {
            throw new ApiRefusal(503, "server_unreachable", e.getMessage());
        } catch (org.stationtrust.tpm.TpmException e) {
            throw new ApiRefusal(503, "tpm_unavailable", "the TPM failed during enrollment: " + e.getMessage());
        }
    }

    public Map<String, Object> attestNow() throws ApiRefusal {
        ServerSession session = server.orElseThrow(() -> new ApiRefusal(409, "no_server", "no server.url is configured"));
        if (identity.state().phase() != StationState.EnrollmentPhase.ACTIVE) {
            throw new ApiRefusal(409, "station_not_active", "only an ACTIVE station attests; this one is " + identity.state().phase());
        }
        session.requestAttestation();
        return Map.of("attestation", "requested");
    }

    public Map<String, Object> rotateKey() throws ApiRefusal {
        ServerSession session = server.orElseThrow(() -> new ApiRefusal(409, "no_server", "no server.url is configured"));
        try {
            String keyId = session.rotateKey();
            return Map.of("keyId", keyId, "machineKeyName", identity.machineKeyNameHex());
        } catch (IllegalStateException e) {
            throw new ApiRefusal(409, "station_not_active", e.getMessage());
        } catch (org.stationtrust.agent.internal.server.ServerRefused e) {
            throw new ApiRefusal(502, "server_refused", e.getMessage());
        } catch (org.stationtrust.agent.internal.server.ServerUnreachable e) {
            throw new ApiRefusal(503, "server_unreachable", e.getMessage());
        } catch (org.stationtrust.tpm.TpmException e) {
            throw new ApiRefusal(503, "tpm_unavailable", "the TPM failed during key rotation: " + e.getMessage());
        }
    }
}
