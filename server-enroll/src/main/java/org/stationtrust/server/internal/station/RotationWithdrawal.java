package org.stationtrust.server.internal.station;

import java.util.HexFormat;
import java.util.Optional;
import org.stationtrust.protocol.ErrorCode;
import org.stationtrust.protocol.KeyRotationWithdrawal;
import org.stationtrust.protocol.KeyRotationWithdrawn;
import org.stationtrust.protocol.KeyRotationWithdrawn.Outcome;
import org.stationtrust.server.internal.attest.AttestationService;
import org.stationtrust.server.internal.attest.NonceTokens;
import org.stationtrust.server.internal.audit.AuditLog;
import org.stationtrust.server.internal.audit.AuditOutcome;
import org.stationtrust.server.internal.http.ApiException;
import org.stationtrust.server.internal.http.JsonBodies;
import org.stationtrust.server.internal.station.SignedRequestVerifier.StationCaller;
import org.stationtrust.server.internal.store.Database;
import org.stationtrust.server.internal.store.MachineStore;
import org.stationtrust.server.internal.store.NonceStore;

/**
 * Withdrawing a key rotation (docs/server-api.md, "Withdrawing a rotation"): a station whose rotation answer was lost,
 * and whose current key the server still accepts, spends that rotation's nonce so that the request, if a proxy only
 * delayed it, can never take effect later and switch the server to a key the station has evicted.
 *
 * <p>The nonce is spent under the same unique key as a rotation spends it ({@link NonceStore#consume}), in one
 * transaction with the request's own nonce and a check that the signing key is still current; a rotation spends its
 * nonce only in the transaction that switches the key ({@link KeyRotation}). So a row written by a withdrawal means
 * no rotation with that nonce took effect or ever will, on any instance.
 */
public final class RotationWithdrawal {
    /** The purpose a withdrawal's row is written with (the column holds at most 16 characters). */
    static final String SPENT_BY_WITHDRAWAL = "withdrawal";

    private final Database db;
    private final MachineStore machines;
    private final NonceStore nonces;
    private final NonceTokens tokens;
    private final AuditLog audit;

    public RotationWithdrawal(Database db, MachineStore machines, NonceStore nonces, NonceTokens tokens, AuditLog audit) {
        this.db = db;
        this.machines = machines;
        this.nonces = nonces;
        this.tokens = tokens;
        this.audit = audit;
    }

    /** {@code station} must have left its request nonce unrecorded: it is recorded here, in the same transaction. */
    public KeyRotationWithdrawn withdraw(StationCaller station, KeyRotationWithdrawal r) {
        String machineId = station.machine().id();
        byte[] nonce = decode(r.nonce());
        // cheap and stateless first: issued by this server, to this machine, for a key rotation (expiry aside)
        NonceTokens.Verified v = tokens.verifyIssued(nonce, machineId, AttestationService.PURPOSE_KEY_ROTATION);
        String hex = HexFormat.of().formatHex(nonce);
        return db.inTransaction(c -> {
            station.recordNonce(c, nonces);
            long now = System.currentTimeMillis();
            // The key may have changed since the signature was checked: a rotation that committed meanwhile.
            if (!machines.currentKey(c, machineId).map(k -> k.id().equals(station.key().id())).orElse(false)) {
                throw new ApiException(ErrorCode.SIGNATURE_INVALID, "The key that signed this withdrawal was retired "
                        + "by a rotation meanwhile; sign with the new key (GET /api/v1/stations/me tells which)");
            }
            Outcome outcome;
            if (nonces.consume(c, hex, machineId, SPENT_BY_WITHDRAWAL, v.expiresAtMillis(), now)) {
                outcome = v.expiresAtMillis() <= now ? Outcome.EXPIRED : Outcome.WITHDRAWN;
            } else {
                outcome = alreadySpent(nonces.spentAs(c, hex, v.expiresAtMillis()));
            }
            audit.append(c, "machine:" + machineId, "machine.rotation_withdrawn", machineId, AuditOutcome.OK,
                    "key-rotation nonce " + outcome.wire() + "; signing key " + station.key().id() + " stays current");
            return new KeyRotationWithdrawn(machineId, station.key().id(), outcome);
        });
    }

    /**
     * A spent nonce: idempotent when a withdrawal spent it; a rotation's row means that rotation took effect, which
     * the key check above has refused already unless the station signs with the key that rotation installed.
     */
    private static Outcome alreadySpent(Optional<String> spentAs) {
        if (spentAs.filter(SPENT_BY_WITHDRAWAL::equals).isPresent()) return Outcome.ALREADY_WITHDRAWN;
        throw new ApiException(ErrorCode.CONFLICT, "That key-rotation nonce was already spent by a rotation request, "
                + "which took effect: there is nothing to withdraw; sign with the key the server accepts "
                + "(GET /api/v1/stations/me)");
    }

    private static byte[] decode(String nonceB64) {
        try {
            byte[] n = JsonBodies.base64("nonce", nonceB64, NonceTokens.LENGTH);
            if (n.length != NonceTokens.LENGTH) throw new IllegalArgumentException("it decodes to " + n.length + " bytes");
            return n;
        } catch (IllegalArgumentException e) {
            throw new ApiException(ErrorCode.INVALID_FIELD, "Field 'nonce' must be the base64 key-rotation nonce as the "
                    + "server issued it (" + NonceTokens.LENGTH + " bytes): " + e.getMessage());
        }
    }
}
