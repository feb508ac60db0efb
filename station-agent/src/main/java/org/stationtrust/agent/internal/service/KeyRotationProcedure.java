package org.stationtrust.agent.internal.service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.stationtrust.agent.internal.audit.AuditLog;
import org.stationtrust.agent.internal.identity.StationState;
import org.stationtrust.agent.internal.server.RequestSigning;
import org.stationtrust.agent.internal.server.ServerClient;
import org.stationtrust.agent.internal.server.ServerRefused;
import org.stationtrust.agent.internal.server.ServerUnreachable;
import org.stationtrust.agent.internal.service.KeyVerdicts.Verdict;
import org.stationtrust.logging.JsonLog;
import org.stationtrust.protocol.NonceIssued;
import org.stationtrust.tpm.KeyCertification;
import org.stationtrust.tpm.MachineIdentity;
import org.stationtrust.tpm.TpmException;

/**
 * Machine-key rotation as docs/server-api.md ("Key rotation") describes it, beside {@link EnrollmentProcedure}:
 * a fresh key at the other persistent handle, certified by the AK over a {@code key-rotation} nonce, announced in a
 * request signed by the old key. The new key is recorded as pending ({@code station.json}) before the request
 * leaves; a clear answer settles it at once.
 *
 * <p>A lost answer (server killed, connection dropped, timeout, agent crash) is settled by {@link #settle}: one signed
 * {@code GET /api/v1/stations/me} per key asks the server which key it accepts, first the key the agent signs with,
 * the pending one only when the server answers {@code signature_invalid}. A key becomes current only on the server's
 * word (no ping-pong); when neither is accepted the station stops in {@code REENROLLMENT_REQUIRED}. That the current
 * key is still accepted is not enough to drop the new one: a rotation request that was only delayed could still take
 * effect, so the rotation is withdrawn first (docs/server-api.md, "Withdrawing a rotation").
 */
final class KeyRotationProcedure {
    private static final JsonLog LOG = new JsonLog(KeyRotationProcedure.class);
    /**
     * How long after a pending mark with no noted nonce (written by an older agent, or before the nonce came) a
     * rotation request may still take effect: the nonce's lifetime (2 minutes) plus the signed-request timestamp
     * window (60 s), docs/server-api.md. The nonce was issued after the mark, so past this nothing can carry it.
     */
    static final Duration UNNOTED_NONCE_LIFETIME = Duration.ofMinutes(2).plusSeconds(60);

    /** How settling a pending rotation ended. */
    enum Outcome {
        /** Nothing was pending. */
        NOTHING_PENDING,
        /** The server still accepts the current key: the rotation did not take effect; the new key is discarded. */
        KEPT_CURRENT_KEY,
        /** The server accepts the new key: the rotation took effect; the agent signs with it now. */
        ADOPTED_NEW_KEY,
        /** No usable answer (server unreachable, 5xx, ...): still pending, tried again on the next call. */
        STILL_UNKNOWN,
        /** The server refuses both keys: REENROLLMENT_REQUIRED. */
        NEITHER_KEY_ACCEPTED
    }

    private final StationIdentity identity;
    private final ServerClient server;
    private final AuditLog audit;
    private final Clock clock;
    private final RequestSigning signing;
    private final KeyVerdicts verdicts;
    private final RotationKeys keys;

    KeyRotationProcedure(StationIdentity identity, ServerClient server, AuditLog audit, Clock clock, RequestSigning signing) {
        this.identity = identity;
        this.server = server;
        this.verdicts = new KeyVerdicts(server);
        this.keys = new RotationKeys(identity, audit);
        this.audit = audit;
        this.clock = clock;
        this.signing = signing;
    }

    /**
     * Rotates the machine key; answers the server's key id. A clear refusal leaves the current key; a lost answer is
     * settled at once when the server answers which key it accepts, else left pending (and thrown as unreachable).
     */
    String rotate() throws ServerUnreachable, ServerRefused, TpmException {
        MachineIdentity next = keys.next();
        recordPending(next);
        String nonce = rotationNonce(next);
        String keyId;
        try {
            KeyCertification certification = identity.call(m -> next.certifyMachineKey(Base64.getDecoder().decode(nonce)));
            keyId = server.rotateKey(nonce, next.machineKey().publicArea().encoded(), certification, signing);
        } catch (ServerRefused e) {
            if (e.status() / 100 == 4 && e.status() != 408) {
                // A clear refusal: the server did not take the new key.
                audit.append("machine_key.rotation_refused", Map.of("status", e.status(), "code", e.code()));
                discard(Optional.of(next), "the server refused the rotation (" + e.code() + ")");
                throw e;
            }
            return afterLostAnswer(e.getMessage());
        } catch (ServerUnreachable e) {
            return afterLostAnswer(e.getMessage());
        } catch (TpmException e) {
            // Only the certification can fail here, before the request is sent: the server never saw the new key.
            discard(Optional.of(next), "the TPM failed to certify the new key (" + e.getClass().getSimpleName() + ")");
            throw e;
        }
        adopt(next, "the server confirmed the rotation");
        return keyId;
    }

    /**
     * The rotation's nonce, noted in the pending mark. Without it no rotation request exists, so when asking for it
     * fails (refused, or its answer lost) the new key goes at once and the failure is thrown.
     */
    private String rotationNonce(MachineIdentity next) throws ServerRefused, ServerUnreachable {
        try {
            return noteNonce(server.rotationNonce(signing));
        } catch (ServerRefused e) {
            audit.append("machine_key.rotation_refused", Map.of("status", e.status(), "code", e.code()));
            discard(Optional.of(next), "the server refused the key-rotation nonce (" + e.code() + ")");
            throw e;
        } catch (ServerUnreachable e) {
            discard(Optional.of(next), "no key-rotation nonce: no rotation request was sent");
            throw e;
        }
    }

    /** Settles a rotation whose answer was lost, this run or before a restart, by asking the server. */
    Outcome settle() throws TpmException {
        StationState s = identity.state();
        if (!s.rotationPending()) return Outcome.NOTHING_PENDING;
        if (s.machineId() == null) {
            discard(Optional.empty(), "the station is not enrolled any more");
            return Outcome.NOTHING_PENDING;
        }
        RequestSigning current = identity.requestSigning(clock);
        Verdict verdict = verdicts.probe("current", current);
        if (verdict == Verdict.ACCEPTED) verdict = keptForGood(s.pendingRotation().orElseThrow(), current);
        if (verdict == Verdict.UNKNOWN) return Outcome.STILL_UNKNOWN;
        // Each resolution is audited before it is applied: a crash in between settles again at the next start (a
        // second row), never leaves an applied resolution without its row.
        if (verdict == Verdict.ACCEPTED) {
            audited(Outcome.KEPT_CURRENT_KEY, s);
            discard(Optional.empty(), "the server accepts the current key and no rotation with the pending nonce can "
                    + "take effect any more: the rotation did not take effect");
            return Outcome.KEPT_CURRENT_KEY;
        }
        return settleOnPendingKey(s);
    }

    /**
     * The server accepts the current key now; whether for good, so that the new key may go. With the rotation's nonce
     * noted, the rotation is withdrawn; {@code signature_invalid} means it took effect meanwhile (REFUSED: the pending
     * key is asked next). Without one (an older agent's mark), only once no request can carry that nonce any more.
     */
    private Verdict keptForGood(StationState.PendingRotation pending, RequestSigning current) {
        if (pending.nonce().isPresent()) return verdicts.withdraw(pending.nonce().get(), current);
        Instant safe = pending.markedAt().plus(UNNOTED_NONCE_LIFETIME);
        if (clock.instant().isAfter(safe)) return Verdict.ACCEPTED;
        LOG.info("machine_key.rotation_waiting", "until", safe, "message", "the pending rotation's nonce was not "
                + "noted: both keys are kept until no delayed request can carry it");
        return Verdict.UNKNOWN;
    }

    /** The server refuses the current key: the rotation took effect if it accepts the pending one. */
    private Outcome settleOnPendingKey(StationState s) throws TpmException {
        Optional<MachineIdentity> pending = keys.loadPending();
        if (pending.isEmpty()) {
            audited(Outcome.NEITHER_KEY_ACCEPTED, s);
            unresolvable("the server refuses the current key and the new key is no longer in the TPM");
            return Outcome.NEITHER_KEY_ACCEPTED;
        }
        return switch (verdicts.probe("pending", identity.requestSigningWith(pending.get(), clock))) {
            case UNKNOWN -> Outcome.STILL_UNKNOWN;
            case ACCEPTED -> {
                audited(Outcome.ADOPTED_NEW_KEY, s);
                adopt(pending.get(), "recovered after a lost rotation answer");
                yield Outcome.ADOPTED_NEW_KEY;
            }
            case REFUSED -> {
                audited(Outcome.NEITHER_KEY_ACCEPTED, s);
                unresolvable("the server answers signature_invalid to both keys");
                yield Outcome.NEITHER_KEY_ACCEPTED;
            }
        };
    }

    /**
     * No clear answer to the rotation: ask the server once now which key it accepts. Returns the server's key id when
     * the new key turned out to be accepted; otherwise throws, the rotation left pending or settled as not applied.
     */
    private String afterLostAnswer(String reason) throws ServerUnreachable, TpmException {
        audit.append("machine_key.rotation_unanswered", Map.of("reason", reason.length() > 200 ? reason.substring(0, 200) : reason));
        Outcome outcome = settle();
        if (outcome == Outcome.ADOPTED_NEW_KEY) {
            try {
                return server.me(signing).keyId();
            } catch (ServerRefused | ServerUnreachable e) {
                return identity.machineKeyNameHex();
            }
        }
        throw new ServerUnreachable(switch (outcome) {
            case KEPT_CURRENT_KEY -> "the key rotation did not take effect (" + reason + "); the station keeps its current key; retry the rotation";
            case NEITHER_KEY_ACCEPTED -> "the key rotation was interrupted and the server accepts neither key: enroll this station again";
            default -> "the outcome of the key rotation is unknown (" + reason + "); the agent settles it on its next call"
                    + " to the server (see station-agent status)";
        }, null);
    }

    /**
     * Remembers, durably (atomic 0600 write), that a rotation to {@code next} is about to be sent. From here until
     * {@link #adopt} or {@link #discard}, a lost answer is settled by asking the server which key it accepts.
     */
    private void recordPending(MachineIdentity next) {
        String name = StationIdentity.hex(next.machineKey().name());
        int handle = next.config().machineKeyHandle();
        identity.update(s -> s.withPendingRotation(handle, name, clock.instant()));
        audit.append("machine_key.rotation_pending", Map.of("keyName", name, "handle", RotationKeys.handleText(handle),
                "currentKeyName", identity.machineKeyNameHex()));
    }

    /**
     * Notes the rotation's nonce in the pending mark, durably, before the request carrying it leaves: what a withdrawal
     * names if the answer is lost. Answers the nonce as issued. A nonce answer without a readable expiry is refused
     * before anything is sent (the new key is discarded as for a failed certification).
     */
    private String noteNonce(NonceIssued issued) throws ServerUnreachable {
        Instant expires;
        try {
            expires = Instant.parse(String.valueOf(issued.expiresAt()));
        } catch (DateTimeParseException e) {
            throw new ServerUnreachable("the server's key-rotation nonce came without a readable expiresAt ('"
                    + issued.expiresAt() + "'); is it a station-trust server of this version?", e);
        }
        StationState.RotationNonce nonce = new StationState.RotationNonce(issued.nonce(), expires);
        identity.update(s -> s.withRotationNonce(nonce));
        return issued.nonce();
    }

    /**
     * The server accepts the new key: sign with it from now on, forget the pending mark, then evict the retired key
     * from the TPM (the server refuses it anyway; a failed eviction is reported, the next rotation replaces it).
     * The eviction comes only after the new key is durably in station.json ({@code useMachineKey} returns once the
     * state file and its directory are synced): a power cut in between leaves the old key in the TPM, never a state
     * naming an evicted handle.
     */
    private void adopt(MachineIdentity next, String how) {
        // audited before it is applied, as every resolution (see settle)
        audit.append("machine_key.rotated", Map.of("previousKeyName", String.valueOf(identity.state().machineKeyNameHex()),
                "keyName", StationIdentity.hex(next.machineKey().name()),
                "handle", RotationKeys.handleText(next.config().machineKeyHandle()), "how", how));
        MachineIdentity previous = identity.useMachineKey(next);
        keys.evict(previous, "retired");
    }

    /**
     * The rotation did not take effect (refused, never sent, or the server still accepts the current key): evict the
     * pending key from its handle and forget the mark. {@code pending} is the key object if at hand, else the handle
     * recorded in the state is used.
     */
    private void discard(Optional<MachineIdentity> pending, String why) {
        StationState s = identity.state();
        if (!s.rotationPending()) return;
        Optional<MachineIdentity> key = pending.isPresent() ? pending : keys.loadPendingQuietly(s);
        key.ifPresent(k -> keys.evict(k, "discarded"));
        audit.append("machine_key.rotation_discarded", Map.of("keyName", s.pendingRotation().orElseThrow().keyNameHex(),
                "handle", RotationKeys.handleText(s.pendingRotation().orElseThrow().handle()), "reason", why));
        identity.update(StationState::withoutPendingRotation);
    }

    /** Neither key is accepted by the server: stop, keep both keys for inspection, say that re-enrollment is the fix. */
    private void unresolvable(String why) {
        StationState s = identity.state();
        audit.append("machine_key.rotation_unresolved", Map.of("currentKeyName", String.valueOf(s.machineKeyNameHex()),
                "pendingKeyName", s.pendingRotation().map(StationState.PendingRotation::keyNameHex).orElse("null"), "reason", why));
        identity.update(state -> state.withoutPendingRotation().withPhase(StationState.EnrollmentPhase.REENROLLMENT_REQUIRED,
                "after an interrupted key rotation the server accepts neither the current nor the new machine key ("
                        + why + "): enroll this station again (station-agent deprovision, then station-agent enroll)"));
        LOG.error("machine_key.rotation_unresolved", "message",
                "the server accepts neither machine key; enroll this station again");
    }

    private void audited(Outcome outcome, StationState before) {
        audit.append("machine_key.rotation_resolved", Map.of("outcome", outcome.name(), "machineId", before.machineId(),
                "currentKeyName", String.valueOf(before.machineKeyNameHex()), "pendingKeyName", before.pendingRotation().map(StationState.PendingRotation::keyNameHex).orElse("null")));
        LOG.info("machine_key.rotation_resolved", "outcome", outcome);
    }
}
