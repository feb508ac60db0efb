package org.stationtrust.agent.internal.identity;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.Optional;
import org.stationtrust.agent.internal.config.StateDirectory;

/**
 * What the agent remembers about its identity between starts ({@code station.json}, 0600): the server's
 * machine id, the enrollment state, and the EK name it enrolled with, so a cleared TPM or a new EK is
 * noticed and reported instead of failing silently. No key material: keys stay in the TPM.
 *
 * <p>A key rotation in flight is remembered as a {@link PendingRotation} before the request leaves, so an answer lost
 * to a crash, a dropped connection or a timeout is resolved later (which key does the server accept?) instead of
 * leaving the station signing with a retired key.
 */
public record StationState(String serverUrl, String machineId, EnrollmentPhase phase, String ekNameHex,
                           String machineKeyNameHex, String detail, Integer machineKeyHandle,
                           Optional<Attestation> lastAttestation, Optional<PendingRotation> pendingRotation) {
    public static final String FILE = "station.json";
    private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private static final long MAX_BYTES = 64 * 1024;

    /** Where the station stands with the server, as {@code status} shows it. */
    public enum EnrollmentPhase {
        NOT_ENROLLED, PENDING_ACTIVATION, PENDING_APPROVAL, ACTIVE, REJECTED, REVOKED,
        /** The TPM's EK differs from the enrolled one (TPM cleared or replaced): enroll again. */
        REENROLLMENT_REQUIRED
    }

    /** How the server judged an attestation. */
    public enum AttestationOutcome { PASSED, REFUSED }

    /** The last attestation: when, the server's verdict, and on a refusal the server's error code. */
    public record Attestation(Instant at, AttestationOutcome outcome, Optional<String> refusalCode) {
        public Attestation {
            Objects.requireNonNull(at);
            Objects.requireNonNull(outcome);
            Objects.requireNonNull(refusalCode);
        }

        public static Attestation passed(Instant at) {
            return new Attestation(at, AttestationOutcome.PASSED, Optional.empty());
        }

        public static Attestation refused(Instant at, String code) {
            return new Attestation(at, AttestationOutcome.REFUSED, Optional.of(code));
        }

        /** As {@code status} and {@code station.json} show it: {@code PASSED} or {@code REFUSED <code>}. */
        public String result() {
            return refusalCode.map(code -> outcome + " " + code).orElse(outcome.name());
        }

        /** Reads {@link #result()} back; anything else is not a result this agent wrote. */
        static Attestation of(Instant at, String result) throws IOException {
            if (result.equals(AttestationOutcome.PASSED.name())) return passed(at);
            if (result.startsWith(AttestationOutcome.REFUSED.name() + " ")) {
                return refused(at, result.substring(AttestationOutcome.REFUSED.name().length() + 1));
            }
            throw new IOException("lastAttestationResult '" + clip(result) + "' is neither PASSED nor REFUSED <code>");
        }
    }

    /**
     * A key rotation sent (or about to be) whose outcome is not known yet: the new key's persistent handle and Name,
     * when the mark was made, and the rotation's nonce once the server issued it (what a withdrawal names,
     * docs/server-api.md "Withdrawing a rotation"). A mark from an older station.json has no nonce and is dated when it
     * was read: later than the real mark, so a wait counted from it is never too short.
     */
    public record PendingRotation(int handle, String keyNameHex, Instant markedAt, Optional<RotationNonce> nonce) {
        public PendingRotation {
            Objects.requireNonNull(keyNameHex);
            Objects.requireNonNull(markedAt);
            Objects.requireNonNull(nonce);
        }

        PendingRotation withNonce(RotationNonce issued) {
            return new PendingRotation(handle, keyNameHex, markedAt, Optional.of(issued));
        }
    }

    /** A key-rotation nonce as the server issued it (base64) and when it expires (the server's word). */
    public record RotationNonce(String nonce, Instant expiresAt) {
        public RotationNonce {
            Objects.requireNonNull(expiresAt);
            if (nonce == null || nonce.isBlank() || nonce.length() > 128) {
                throw new IllegalArgumentException("a rotation nonce is 1-128 characters of base64, was "
                        + (nonce == null ? "null" : nonce.length() + " characters"));
            }
        }
    }

    public StationState {
        Objects.requireNonNull(phase);
        Objects.requireNonNull(lastAttestation);
        Objects.requireNonNull(pendingRotation);
    }

    public static StationState fresh() {
        return new StationState(null, null, EnrollmentPhase.NOT_ENROLLED, null, null, null, null, Optional.empty(),
                Optional.empty());
    }

    public static StationState load(Path stateDir) throws IOException {
        Path file = stateDir.resolve(FILE);
        if (!Files.exists(file)) return fresh();
        if (Files.size(file) > MAX_BYTES) throw new IOException(file + " is larger than " + MAX_BYTES + " bytes; it is not the agent's state");
        try {
            return JSON.readValue(file.toFile(), Stored.class).toState();
        } catch (IOException e) {
            throw new IOException("cannot read the station state " + file + " (" + e.getClass().getSimpleName()
                    + "); move it away to start over with a new enrollment", e);
        }
    }

    public void save(Path stateDir) throws IOException {
        StateDirectory.writePrivate(stateDir.resolve(FILE), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(Stored.of(this)));
    }

    /** Whether the last attestation passed. */
    public boolean attestationPassed() {
        return lastAttestation.map(a -> a.outcome() == AttestationOutcome.PASSED).orElse(false);
    }

    /** When the station last attested, if ever. */
    public Optional<Instant> lastAttestedAt() {
        return lastAttestation.map(Attestation::at);
    }

    /** Whether a rotation was sent (or about to be) and its outcome is not known yet. */
    public boolean rotationPending() {
        return pendingRotation.isPresent();
    }

    public StationState withPhase(EnrollmentPhase newPhase, String newDetail) {
        return change(d -> {
            d.phase = newPhase;
            d.detail = newDetail;
        });
    }

    public StationState withEnrollment(String url, String id, EnrollmentPhase newPhase, String ekName, String keyName) {
        return change(d -> {
            d.serverUrl = url;
            d.machineId = id;
            d.phase = newPhase;
            d.ekNameHex = ekName;
            d.machineKeyNameHex = keyName;
            d.detail = null;
        });
    }

    public StationState withAttestation(Attestation attestation) {
        return change(d -> d.lastAttestation = Optional.of(attestation));
    }

    /** After a key rotation: the new key's Name and the persistent handle it lives at; no rotation pending any more. */
    public StationState withMachineKey(String keyName, int handle) {
        return change(d -> {
            d.machineKeyNameHex = keyName;
            d.machineKeyHandle = handle;
            d.pendingRotation = Optional.empty();
        });
    }

    /** A rotation is about to be sent: the new key's handle and Name, recorded (at {@code at}) before the request leaves. */
    public StationState withPendingRotation(int handle, String keyName, Instant at) {
        return change(d -> d.pendingRotation = Optional.of(new PendingRotation(handle, keyName, at, Optional.empty())));
    }

    /** The pending rotation's nonce, noted before the rotation request that carries it leaves. */
    public StationState withRotationNonce(RotationNonce issued) {
        if (pendingRotation.isEmpty()) throw new IllegalStateException("no rotation is pending to note a nonce for");
        return change(d -> d.pendingRotation = d.pendingRotation.map(p -> p.withNonce(issued)));
    }

    /** The rotation's outcome is known and the losing key is gone: nothing pending. */
    public StationState withoutPendingRotation() {
        return change(d -> d.pendingRotation = Optional.empty());
    }

    /** A fresh state that keeps the handle of the current machine key (enrollment starts over with the same key). */
    public StationState restarted() {
        return fresh().change(d -> d.machineKeyHandle = machineKeyHandle);
    }

    private StationState change(java.util.function.Consumer<Draft> edit) {
        Draft d = new Draft(this);
        edit.accept(d);
        return d.build();
    }

    /** A copy being changed: each transition above names only what it changes. */
    private static final class Draft {
        String serverUrl;
        String machineId;
        EnrollmentPhase phase;
        String ekNameHex;
        String machineKeyNameHex;
        String detail;
        Integer machineKeyHandle;
        Optional<Attestation> lastAttestation;
        Optional<PendingRotation> pendingRotation;

        Draft(StationState s) {
            serverUrl = s.serverUrl;
            machineId = s.machineId;
            phase = s.phase;
            ekNameHex = s.ekNameHex;
            machineKeyNameHex = s.machineKeyNameHex;
            detail = s.detail;
            machineKeyHandle = s.machineKeyHandle;
            lastAttestation = s.lastAttestation;
            pendingRotation = s.pendingRotation;
        }

        StationState build() {
            return new StationState(serverUrl, machineId, phase, ekNameHex, machineKeyNameHex, detail, machineKeyHandle,
                    lastAttestation, pendingRotation);
        }
    }

    /** {@code station.json} as written since the first release: flat, the attestation result as text. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Stored(String serverUrl, String machineId, EnrollmentPhase phase, String ekNameHex, String machineKeyNameHex,
                  String lastAttestation, String lastAttestationResult, String detail, Integer machineKeyHandle,
                  Integer pendingMachineKeyHandle, String pendingMachineKeyNameHex, String pendingRotationMarkedAt,
                  String pendingRotationNonce, String pendingRotationNonceExpiresAt) {

        static Stored of(StationState s) {
            return new Stored(s.serverUrl, s.machineId, s.phase, s.ekNameHex, s.machineKeyNameHex,
                    s.lastAttestation.map(a -> a.at().toString()).orElse(null),
                    s.lastAttestation.map(Attestation::result).orElse(null), s.detail, s.machineKeyHandle,
                    s.pendingRotation.map(PendingRotation::handle).orElse(null),
                    s.pendingRotation.map(PendingRotation::keyNameHex).orElse(null),
                    s.pendingRotation.map(p -> p.markedAt().toString()).orElse(null),
                    s.pendingRotation.flatMap(PendingRotation::nonce).map(RotationNonce::nonce).orElse(null),
                    s.pendingRotation.flatMap(PendingRotation::nonce).map(n -> n.expiresAt().toString()).orElse(null));
        }

        StationState toState() throws IOException {
            if (phase == null) throw new IOException("station.json names no phase");
            Optional<Attestation> attestation = Optional.empty();
            if (lastAttestation != null && lastAttestationResult != null) {
                try {
                    attestation = Optional.of(Attestation.of(Instant.parse(lastAttestation), lastAttestationResult));
                } catch (DateTimeParseException e) {
                    throw new IOException("lastAttestation '" + clip(lastAttestation) + "' is not an ISO-8601 instant", e);
                }
            }
            Optional<PendingRotation> pending = pendingMachineKeyHandle != null && pendingMachineKeyNameHex != null
                    ? Optional.of(pendingRotation()) : Optional.empty();
            return new StationState(serverUrl, machineId, phase, ekNameHex, machineKeyNameHex, detail, machineKeyHandle,
                    attestation, pending);
        }

        /** The pending mark; one written before the nonce was noted (or by an older agent) has none. */
        private PendingRotation pendingRotation() throws IOException {
            Optional<RotationNonce> nonce = Optional.empty();
            if (pendingRotationNonce != null && pendingRotationNonceExpiresAt != null) {
                try {
                    nonce = Optional.of(new RotationNonce(pendingRotationNonce, instant(pendingRotationNonceExpiresAt)));
                } catch (IllegalArgumentException e) {
                    throw new IOException("pendingRotationNonce is not a rotation nonce: " + e.getMessage(), e);
                }
            }
            // no date in an older file: dated now, which is later than the mark really was (see PendingRotation)
            Instant marked = pendingRotationMarkedAt == null ? Instant.now() : instant(pendingRotationMarkedAt);
            return new PendingRotation(pendingMachineKeyHandle, pendingMachineKeyNameHex, marked, nonce);
        }

        private static Instant instant(String text) throws IOException {
            try {
                return Instant.parse(text);
            } catch (DateTimeParseException e) {
                throw new IOException("'" + clip(text) + "' is not an ISO-8601 instant", e);
            }
        }
    }

    private static String clip(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
