package org.stationtrust.agent.internal.service;

import java.util.Set;
import org.stationtrust.agent.internal.identity.StationState.RotationNonce;
import org.stationtrust.agent.internal.server.RequestSigning;
import org.stationtrust.agent.internal.server.ServerClient;
import org.stationtrust.agent.internal.server.ServerRefused;
import org.stationtrust.agent.internal.server.ServerUnreachable;
import org.stationtrust.logging.JsonLog;
import org.stationtrust.protocol.ErrorCode;
import org.stationtrust.protocol.KeyRotationWithdrawn;

/**
 * What the server says about a machine key after a rotation answer was lost, for {@link KeyRotationProcedure#settle}:
 * whether it accepts a key now ({@link #probe}), and whether it keeps the current one for good ({@link #withdraw}).
 */
final class KeyVerdicts {
    private static final JsonLog LOG = new JsonLog(KeyVerdicts.class);
    /** The server refuses the key that signed: the agreed code (docs/server-api.md, "Signed station requests"). */
    static final ErrorCode KEY_REFUSED = ErrorCode.SIGNATURE_INVALID;
    /**
     * Refusals the server gives only after the signature verified (its order: parse, machine, signature, binding,
     * time, nonce, then state), so they prove the key is accepted.
     */
    private static final Set<ErrorCode> SIGNATURE_VERIFIED = Set.of(ErrorCode.MACHINE_UNATTESTED,
            ErrorCode.MACHINE_NOT_ACTIVE, ErrorCode.TIMESTAMP_OUT_OF_RANGE, ErrorCode.REQUEST_REPLAYED);

    enum Verdict { ACCEPTED, REFUSED, UNKNOWN }

    private final ServerClient server;

    KeyVerdicts(ServerClient server) {
        this.server = server;
    }

    /** One signed {@code GET /api/v1/stations/me}: does the server accept the key that signed it, right now? */
    Verdict probe(String which, RequestSigning with) {
        try {
            server.me(with);
            return Verdict.ACCEPTED;
        } catch (ServerRefused e) {
            if (e.is(KEY_REFUSED)) return Verdict.REFUSED;
            if (e.errorCode().filter(SIGNATURE_VERIFIED::contains).isPresent()) return Verdict.ACCEPTED;
            LOG.warn("machine_key.probe_inconclusive", "keyRole", which, "status", e.status(), "code", e.code());
            return Verdict.UNKNOWN;
        } catch (ServerUnreachable e) {
            LOG.warn("machine_key.probe_unanswered", "keyRole", which, "reason", e.getMessage());
            return Verdict.UNKNOWN;
        }
    }

    /**
     * Withdraws the pending rotation (docs/server-api.md, "Withdrawing a rotation"), signed by the current key.
     * ACCEPTED: the server answered 2xx (withdrawn, already withdrawn or expired), so it keeps the current key for
     * good; REFUSED: {@code signature_invalid}, the rotation took effect (perhaps a moment ago); UNKNOWN otherwise.
     */
    Verdict withdraw(RotationNonce nonce, RequestSigning current) {
        try {
            KeyRotationWithdrawn w = server.withdrawRotation(nonce.nonce(), current);
            LOG.info("machine_key.rotation_withdrawn", "outcome", w.outcome().wire(), "keyId", w.keyId());
            return Verdict.ACCEPTED;
        } catch (ServerRefused e) {
            if (e.is(KEY_REFUSED)) return Verdict.REFUSED;
            LOG.warn("machine_key.withdrawal_inconclusive", "status", e.status(), "code", e.code(),
                    "nonceExpiresAt", nonce.expiresAt());
            return Verdict.UNKNOWN;
        } catch (ServerUnreachable e) {
            LOG.warn("machine_key.withdrawal_unanswered", "reason", e.getMessage(), "nonceExpiresAt", nonce.expiresAt());
            return Verdict.UNKNOWN;
        }
    }
}
