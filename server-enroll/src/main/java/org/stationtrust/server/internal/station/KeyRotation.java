package org.stationtrust.server.internal.station;

import java.util.Base64;
import org.stationtrust.protocol.ErrorCode;
import org.stationtrust.protocol.KeyRotationRequest;
import org.stationtrust.server.internal.attest.AttestationService;
import org.stationtrust.server.internal.audit.AuditLog;
import org.stationtrust.server.internal.audit.AuditOutcome;
import org.stationtrust.server.internal.enroll.KeyRules;
import org.stationtrust.server.internal.http.ApiException;
import org.stationtrust.server.internal.http.JsonBodies;
import org.stationtrust.server.internal.station.SignedRequestVerifier.StationCaller;
import org.stationtrust.server.internal.store.Database;
import org.stationtrust.server.internal.store.MachineStore;
import org.stationtrust.tpm.verify.CertifyVerifier;
import org.stationtrust.tpm.verify.MalformedTpmStructure;
import org.stationtrust.tpm.verify.TpmPublic;
import org.stationtrust.tpm.verify.TpmVerificationException;

/**
 * Machine key rotation: the request is signed by the old key, the new key is certified by the enrolled AK
 * over a fresh server nonce (purpose key-rotation). Afterwards only the new key is accepted.
 */
public final class KeyRotation {
    private final Database db;
    private final MachineStore machines;
    private final AttestationService attestation;
    private final AuditLog audit;

    public KeyRotation(Database db, MachineStore machines, AttestationService attestation, AuditLog audit) {
        this.db = db;
        this.machines = machines;
        this.attestation = attestation;
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
        byte[] nonce = attestation.consumeNonce(station.machine().id(), r.nonce(), AttestationService.PURPOSE_KEY_ROTATION);
        try {
            CertifyVerifier.verify(attestation.akPublic(station.machine().akPublic()), info, sig, newKey, nonce);
        } catch (TpmVerificationException e) {
            throw new ApiException(ErrorCode.CERTIFICATION_INVALID, "The AK's certification of the new key was refused: "
                    + e.getMessage());
        }
        String spki = Base64.getEncoder().encodeToString(newKey.toPublicKey().getEncoded());
        return db.inTransaction(c -> {
            if (!machines.rotateKey(c, station.machine().id(), station.key().id(),
                    Base64.getEncoder().encodeToString(newKey.encoded()), spki)) {
                throw new ApiException(ErrorCode.CONFLICT, "The signing key changed meanwhile; sign with the current key");
            }
            audit.append(c, "machine:" + station.machine().id(), "machine.rotate_key", station.machine().id(),
                    AuditOutcome.OK,
                    "signing key " + station.key().id() + " retired, new key certified by the AK");
            return machines.currentKey(c, station.machine().id()).orElseThrow().id();
        });
    }
}
