package org.stationtrust.server.internal.station;

import java.util.Base64;
import java.util.HexFormat;
import org.stationtrust.protocol.ErrorCode;
import org.stationtrust.protocol.KeyRotationRequest;
import org.stationtrust.server.internal.attest.AttestationService;
import org.stationtrust.server.internal.attest.NonceTokens;
import org.stationtrust.server.internal.attest.QuoteCheck;
import org.stationtrust.server.internal.audit.AuditLog;
import org.stationtrust.server.internal.audit.AuditOutcome;
import org.stationtrust.server.internal.enroll.KeyRules;
import org.stationtrust.server.internal.http.ApiException;
import org.stationtrust.server.internal.http.JsonBodies;
import org.stationtrust.server.internal.station.SignedRequestVerifier.StationCaller;
import org.stationtrust.server.internal.store.Database;
import org.stationtrust.server.internal.store.MachineStore;
import org.stationtrust.server.internal.store.NonceStore;
import org.stationtrust.tpm.verify.CertifyVerifier;
import org.stationtrust.tpm.verify.MalformedTpmStructure;
import org.stationtrust.tpm.verify.TpmPublic;
import org.stationtrust.tpm.verify.TpmVerificationException;

/**
 * Machine key rotation: the request is signed by the old key, the new key is certified by the enrolled AK
 * over a fresh server nonce (purpose key-rotation). Afterwards only the new key is accepted.
 *
 * <p>The nonce is spent in the transaction that switches the key, and only there: a spent rotation nonce then means
 * either that rotation took effect or a withdrawal ({@link RotationWithdrawal}) made sure none ever will
 * (docs/server-api.md, "Withdrawing a rotation").
 */
public final class KeyRotation {
    private final Database db;
    private final MachineStore machines;
    private final AttestationService attestation;
    private final NonceStore nonces;
    private final NonceTokens tokens;
    private final AuditLog audit;

    public KeyRotation(Database db, MachineStore machines, AttestationService attestation, NonceStore nonces,
                       NonceTokens tokens, AuditLog audit) {
        this.db = db;
        this.machines = machines;
        this.attestation = attestation;
        this.nonces = nonces;
        this.tokens = tokens;
        this.audit = audit;
    }

    public String rotate(StationCaller station, KeyRotationRequest r) {
        TpmPublic newKey;
        byte[] info, sig;
        try {
            newKey = TpmPublic.parse(JsonBodies.base64("machineKeyPublic", r.machineKeyPublic(), TpmPublic.MAX_SIZE));
            info = JsonBodies.base64("certifyInfo", r.certifyInfo(), 1024);
            sig = JsonBodies.base64("certifySignature", r.certifySignature(), 1024);
        } catch (IllegalArgumentException | MalformedTpmStructure e) {
            throw new ApiException(ErrorCode.INVALID_FIELD, e.getMessage());
        }
        KeyRules.requireMachineKey(newKey);
        String machineId = station.machine().id();
        byte[] nonce = QuoteCheck.decodeNonce(r.nonce());
        long expires = tokens.verify(nonce, machineId, AttestationService.PURPOSE_KEY_ROTATION,
                System.currentTimeMillis()).expiresAtMillis();
        try {
            CertifyVerifier.verify(attestation.akPublic(station.machine().akPublic()), info, sig, newKey, nonce);
        } catch (TpmVerificationException e) {
            throw new ApiException(ErrorCode.CERTIFICATION_INVALID, "The AK's certification of the new key was refused: "
                    + e.getMessage());
        }
        String spki = Base64.getEncoder().encodeToString(newKey.toPublicKey().getEncoded());
        return db.inTransaction(c -> {
            long now = System.currentTimeMillis();
            // Checked again inside the transaction, so that no rotation commits after its nonce expired, however long
            // it waited for the database: a station may rely on the expiry alone (docs/server-api.md).
            if (expires <= now) {
                throw new ApiException(ErrorCode.NONCE_INVALID, "Nonce refused: it expired while the rotation waited "
                        + "for the database; request a fresh one");
            }
            if (!nonces.consume(c, HexFormat.of().formatHex(nonce), machineId, AttestationService.PURPOSE_KEY_ROTATION,
                    expires, now)) {
                throw new ApiException(ErrorCode.NONCE_INVALID, "Nonce refused: it was already used or withdrawn (on "
                        + "this or another server instance); request a fresh one");
            }
            if (!machines.rotateKey(c, machineId, station.key().id(),
                    Base64.getEncoder().encodeToString(newKey.encoded()), spki)) {
                throw new ApiException(ErrorCode.CONFLICT, "The signing key changed meanwhile; sign with the current key");
            }
            audit.append(c, "machine:" + machineId, "machine.rotate_key", machineId, AuditOutcome.OK,
                    "signing key " + station.key().id() + " retired, new key certified by the AK");
            return machines.currentKey(c, machineId).orElseThrow().id();
        });
    }
}
