package org.stationtrust.agent.internal.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * {@code GET /v1/status}: where the station stands. {@code detail}, {@code keyRotation}, {@code attestationSchedule}
 * and {@code packetPath} appear only when they apply; the other fields are always present (null when unknown).
 */
public record StatusAnswer(String mode, String machineName, String machineId, String enrollment,
                           @JsonInclude(JsonInclude.Include.NON_NULL) String detail,
                           String lastAttestation, String lastAttestationResult,
                           @JsonInclude(JsonInclude.Include.NON_NULL) PendingRotation keyRotation,
                           @JsonInclude(JsonInclude.Include.NON_NULL) AttestationSchedule attestationSchedule,
                           String tpm, long tpmSignatures,
                           @JsonInclude(JsonInclude.Include.NON_NULL) PacketPath packetPath,
                           boolean deviceTrustStore, QueueCounts queue) {

    /** A key rotation sent whose answer has not been received yet. */
    public record PendingRotation(String pendingKeyName, String pendingHandle, String detail) {
    }

    /** The server's attestation interval (null before the first quote's answer) and the agent's own period. */
    public record AttestationSchedule(Long serverIntervalSeconds, long everySeconds) {
    }

    /** Packets made so far and the TPM calls their request threads made (one each: the signature). */
    public record PacketPath(long packets, long tpmOperations) {
    }

    /** What is bound for the server: queued messages plus audit records not yet acknowledged. */
    public record QueueCounts(long waiting, long parked, long queued, long auditEvents, long auditRequests) {
    }
}
