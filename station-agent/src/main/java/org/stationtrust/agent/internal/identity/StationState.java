package org.stationtrust.agent.internal.identity;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import org.stationtrust.agent.internal.config.StateDirectory;

/**
 * What the agent remembers about its identity between starts ({@code station.json}, 0600): the server's
 * machine id, the enrollment state, and the EK name it enrolled with, so a cleared TPM or a new EK is
 * noticed and reported instead of failing silently. No key material: keys stay in the TPM.
 *
 * <p>A key rotation in flight is remembered as {@code pendingMachineKeyHandle}/{@code pendingMachineKeyNameHex}
 * before the request leaves, so an answer lost to a crash, a dropped connection or a timeout is resolved later
 * (which key does the server accept?) instead of leaving the station signing with a retired key.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StationState(String serverUrl, String machineId, EnrollmentPhase phase, String ekNameHex,
                           String machineKeyNameHex, String lastAttestation, String lastAttestationResult,
                           String detail, Integer machineKeyHandle, Integer pendingMachineKeyHandle,
                           String pendingMachineKeyNameHex) {
    public static final String FILE = "station.json";
    private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private static final long MAX_BYTES = 64 * 1024;

    /** Where the station stands with the server, as {@code status} shows it. */
    public enum EnrollmentPhase {
        NOT_ENROLLED, PENDING_ACTIVATION, PENDING_APPROVAL, ACTIVE, REJECTED, REVOKED,
        /** The TPM's EK differs from the enrolled one (TPM cleared or replaced): enroll again. */
        REENROLLMENT_REQUIRED
    }

    public StationState {
        Objects.requireNonNull(phase);
    }

    public static StationState fresh() {
        return new StationState(null, null, EnrollmentPhase.NOT_ENROLLED, null, null, null, null, null, null, null, null);
    }

    public static StationState load(Path stateDir) throws IOException {
        Path file = stateDir.resolve(FILE);
        if (!Files.exists(file)) return fresh();
        if (Files.size(file) > MAX_BYTES) throw new IOException(file + " is larger than " + MAX_BYTES + " bytes; it is not the agent's state");
        try {
            return JSON.readValue(file.toFile(), StationState.class);
        } catch (IOException e) {
            throw new IOException("cannot read the station state " + file + " (" + e.getClass().getSimpleName()
                    + "); move it away to start over with a new enrollment", e);
        }
    }

    public void save(Path stateDir) throws IOException {
        StateDirectory.writePrivate(stateDir.resolve(FILE), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(this));
    }

    public StationState withPhase(EnrollmentPhase newPhase, String newDetail) {
        return new StationState(serverUrl, machineId, newPhase, ekNameHex, machineKeyNameHex, lastAttestation, lastAttestationResult, newDetail, machineKeyHandle,
                pendingMachineKeyHandle, pendingMachineKeyNameHex);
    }

    public StationState withEnrollment(String url, String id, EnrollmentPhase newPhase, String ekName, String keyName) {
        return new StationState(url, id, newPhase, ekName, keyName, lastAttestation, lastAttestationResult, null, machineKeyHandle,
                pendingMachineKeyHandle, pendingMachineKeyNameHex);
    }

    public StationState withAttestation(String when, String result) {
        return new StationState(serverUrl, machineId, phase, ekNameHex, machineKeyNameHex, when, result, detail, machineKeyHandle,
                pendingMachineKeyHandle, pendingMachineKeyNameHex);
    }

    /** After a key rotation: the new key's Name and the persistent handle it lives at; no rotation pending any more. */
    public StationState withMachineKey(String keyName, int handle) {
        return new StationState(serverUrl, machineId, phase, ekNameHex, keyName, lastAttestation, lastAttestationResult, detail, handle,
                null, null);
    }

    /** A rotation is about to be sent: the new key's handle and Name, recorded before the request leaves. */
    public StationState withPendingRotation(int handle, String keyName) {
        Objects.requireNonNull(keyName);
        return new StationState(serverUrl, machineId, phase, ekNameHex, machineKeyNameHex, lastAttestation, lastAttestationResult,
                detail, machineKeyHandle, handle, keyName);
    }

    /** The rotation's outcome is known and the losing key is gone: nothing pending. */
    public StationState withoutPendingRotation() {
        return new StationState(serverUrl, machineId, phase, ekNameHex, machineKeyNameHex, lastAttestation, lastAttestationResult,
                detail, machineKeyHandle, null, null);
    }

    /** Whether a rotation was sent (or about to be) and its outcome is not known yet. */
    @JsonIgnore
    public boolean rotationPending() {
        return pendingMachineKeyHandle != null && pendingMachineKeyNameHex != null;
    }

    /** A fresh state that keeps the handle of the current machine key (enrollment starts over with the same key). */
    public StationState restarted() {
        return new StationState(null, null, EnrollmentPhase.NOT_ENROLLED, null, null, null, null, null, machineKeyHandle, null, null);
    }
}
