package org.stationtrust.agent.internal.service;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stationtrust.agent.internal.audit.AuditLog;
import org.stationtrust.agent.internal.identity.StationState;
import org.stationtrust.agent.internal.server.EnrollmentServer;
import org.stationtrust.agent.internal.server.RequestSigning;
import org.stationtrust.agent.internal.server.ServerRefused;
import org.stationtrust.agent.internal.server.ServerUnreachable;
import org.stationtrust.protocol.ErrorCode;
import org.stationtrust.tpm.MachineIdentity;
import org.stationtrust.tpm.TpmException;

/**
 * Settles a key rotation whose answer never arrived (server killed, connection dropped, timeout, agent crash):
 * asks the server, with one signed {@code GET /api/v1/stations/me} per key, which key it accepts. First the key
 * the agent signs with; only when the server answers {@code signature_invalid} the pending new key. The accepted
 * key stays or becomes current, the other is evicted. At most two probes per attempt, and a key becomes current
 * only on the server's word, so there is no ping-pong; when neither key is accepted the station stops and
 * {@code status} says re-enrollment is the fix.
 */
final class RotationRecovery {
    private static final Logger LOG = LoggerFactory.getLogger(RotationRecovery.class);
    /** The server refuses the key that signed: the agreed code (docs/server-api.md, "Signed station requests"). */
    static final ErrorCode KEY_REFUSED = ErrorCode.SIGNATURE_INVALID;
    /**
     * Refusals the server gives only after the signature verified (its order: parse, machine, signature, binding,
     * time, nonce, then state), so they prove the key is accepted.
     */
    private static final Set<ErrorCode> SIGNATURE_VERIFIED = Set.of(ErrorCode.MACHINE_UNATTESTED,
            ErrorCode.MACHINE_NOT_ACTIVE, ErrorCode.TIMESTAMP_OUT_OF_RANGE, ErrorCode.REQUEST_REPLAYED);

    /** How an attempt ended. */
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

    private enum Verdict { ACCEPTED, REFUSED, UNKNOWN }

    private final StationIdentity identity;
    private final EnrollmentServer server;
    private final AuditLog audit;
    private final Clock clock;

    RotationRecovery(StationIdentity identity, EnrollmentServer server, AuditLog audit, Clock clock) {
        this.identity = identity;
        this.server = server;
        this.audit = audit;
        this.clock = clock;
    }

    Outcome resolve() throws TpmException {
        StationState s = identity.state();
        if (!s.rotationPending()) return Outcome.NOTHING_PENDING;
        if (s.machineId() == null) {
            identity.discardPendingKey(Optional.empty(), "the station is not enrolled any more");
            return Outcome.NOTHING_PENDING;
        }
        Verdict current = probe("current", identity.requestSigning(clock));
        if (current == Verdict.UNKNOWN) return Outcome.STILL_UNKNOWN;
        if (current == Verdict.ACCEPTED) {
            identity.discardPendingKey(Optional.empty(), "the server still accepts the current key: the rotation did not take effect");
            return resolved(Outcome.KEPT_CURRENT_KEY, s);
        }
        Optional<MachineIdentity> pending = identity.loadPendingKey();
        if (pending.isEmpty()) {
            identity.rotationUnresolvable("the server refuses the current key and the new key is no longer in the TPM");
            return resolved(Outcome.NEITHER_KEY_ACCEPTED, s);
        }
        Verdict next = probe("pending", identity.requestSigningWith(pending.get(), clock));
        return switch (next) {
            case UNKNOWN -> Outcome.STILL_UNKNOWN;
            case ACCEPTED -> {
                identity.adoptKey(pending.get(), "recovered after a lost rotation answer");
                yield resolved(Outcome.ADOPTED_NEW_KEY, s);
            }
            case REFUSED -> {
                identity.rotationUnresolvable("the server answers signature_invalid to both keys");
                yield resolved(Outcome.NEITHER_KEY_ACCEPTED, s);
            }
        };
    }

    private Outcome resolved(Outcome outcome, StationState before) {
        audit.append("machine_key.rotation_resolved", Map.of("outcome", outcome.name(), "machineId", before.machineId(),
                "currentKeyName", String.valueOf(before.machineKeyNameHex()), "pendingKeyName", before.pendingMachineKeyNameHex()));
        LOG.info("event=machine_key.rotation_resolved outcome={}", outcome);
        return outcome;
    }

    private Verdict probe(String which, RequestSigning signing) {
        try {
            server.me(signing);
            return Verdict.ACCEPTED;
        } catch (ServerRefused e) {
            if (e.is(KEY_REFUSED)) return Verdict.REFUSED;
            if (e.errorCode().filter(SIGNATURE_VERIFIED::contains).isPresent()) return Verdict.ACCEPTED;
            LOG.warn("event=machine_key.probe_inconclusive key={} status={} code={}", which, e.status(), e.code());
            return Verdict.UNKNOWN;
        } catch (ServerUnreachable e) {
            LOG.warn("event=machine_key.probe_unanswered key={} reason=\"{}\"", which, e.getMessage());
            return Verdict.UNKNOWN;
        }
    }
}
