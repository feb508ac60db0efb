package org.stationtrust.server.internal.station;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import org.stationtrust.protocol.EnrollmentState;
import org.stationtrust.protocol.ErrorCode;
import org.stationtrust.protocol.Es256Jws;
import org.stationtrust.protocol.JwsType;
import org.stationtrust.protocol.MalformedJws;
import org.stationtrust.protocol.SignedRequestClaims;
import org.stationtrust.protocol.StationHeaders;
import org.stationtrust.server.internal.http.ApiException;
import org.stationtrust.server.internal.http.JsonBodies;
import org.stationtrust.server.internal.store.AttestationStatus;
import org.stationtrust.server.internal.store.MachineStore;
import org.stationtrust.server.internal.store.NonceStore;
import org.stationtrust.server.internal.store.StationMachine;

/**
 * Checks the {@code X-Station-Signature} header (docs/server-api.md, "Signed station requests"): a compact
 * ES256 JWS by the machine's current TPM key over method, path, body hash, timestamp and nonce. Order:
 * parse, find the machine, verify the signature, bind to this request, check time, the machine's state, and
 * last record the nonce (only after the signature holds, so strangers cannot burn nonces), here or, for the
 * quote call, in the handler's own transaction ({@link #verifyLeavingNonce}).
 */
public final class SignedRequestVerifier {

    private final MachineStore machines;
    private final NonceStore nonces;
    private final StationKeys keys;
    private final Duration skew;
    private final Duration attestationInterval;

    public SignedRequestVerifier(MachineStore machines, NonceStore nonces, StationKeys keys, Duration skew,
                                 Duration attestationInterval) {
        this.machines = machines;
        this.nonces = nonces;
        this.keys = keys;
        this.skew = skew;
        this.attestationInterval = attestationInterval;
    }

    /** The signed payload; every field required, no others. */

    /** What a station may do: business calls need a fresh attestation; attestation calls do not. */
    public enum Requirement { ATTESTED, ACTIVE }

    /**
     * A verified station request: the machine (state checked) and the key that signed it; {@code unrecordedNonce}
     * is the request's nonce when {@link #verifyLeavingNonce} left it for the caller's own transaction, else null.
     */
    public record StationCaller(StationMachine machine, MachineStore.MachineKey key, RequestNonce unrecordedNonce) {
        /**
         * Records the request's nonce in the caller's transaction, when it was left to the caller; throws
         * REQUEST_REPLAYED, so that the transaction rolls back, when the machine already used it.
         */
        public void recordNonce(java.sql.Connection c, NonceStore nonces) throws java.sql.SQLException {
            if (!recordNonceIfFresh(c, nonces)) throw replayed(machine.id());
        }

        /**
         * Records the request's nonce in the caller's transaction, when it was left to the caller; false, having
         * written nothing, when the machine already used it. For a caller that records it first and can then end its
         * transaction without a write instead of throwing ({@link #replayedRequest} is the refusal to give): a throw
         * would roll back the other writes of a group-commit batch and make each run again alone.
         */
        public boolean recordNonceIfFresh(java.sql.Connection c, NonceStore nonces) throws java.sql.SQLException {
            return unrecordedNonce == null || nonces.recordRequestNonce(c, machine.id(), unrecordedNonce.nonce(),
                    unrecordedNonce.keepUntil());
        }

        /** The refusal of a request whose nonce the machine already used. */
        public org.stationtrust.server.internal.http.ApiException replayedRequest() {
            return replayed(machine.id());
        }
    }

    /** A signed request's nonce and how long its record must be kept to refuse a replay. */
    public record RequestNonce(String nonce, long keepUntil) {
    }

    /** Verifies a station request and records its nonce (a replay is refused here). */
    public StationCaller verify(String method, String path, byte[] body, String header, Requirement requirement) {
        return recordNonce(verifyLeavingNonce(method, path, body, header, requirement));
    }

    /** Records the nonce a verified request left unrecorded, in its own write; a replay is refused here. */
    public StationCaller recordNonce(StationCaller caller) {
        if (!nonces.recordRequestNonce(caller.machine().id(), caller.unrecordedNonce().nonce(),
                caller.unrecordedNonce().keepUntil())) {
            throw replayed(caller.machine().id());
        }
        return new StationCaller(caller.machine(), caller.key(), null);
    }

    /**
     * Verifies a station request like {@link #verify} but leaves its nonce unrecorded: for a handler whose own
     * write records it in the same transaction ({@link StationCaller#recordNonce}), one commit instead of two. The
     * handler must record it before it acts, and refuse the request when that fails.
     */
    public StationCaller verifyLeavingNonce(String method, String path, byte[] body, String header,
                                            Requirement requirement) {
        return complete(authenticate(method, path, header), body, requirement);
    }

    /**
     * What can be checked before the body is read (docs/server-api.md, "Signed station requests"): the header
     * parses, names a known machine, verifies with its current key, is for this method and path, and its timestamp
     * is within the window. Costs one key lookup and one signature check; the body is bound by {@link #complete}.
     */
    public Authenticated authenticate(String method, String path, String header) {
        if (header == null || header.isBlank()) {
            throw new ApiException(ErrorCode.SIGNATURE_MISSING, "Station calls must carry the " + StationHeaders.SIGNATURE
                    + " header (a compact JWS by the machine key)");
        }
        Es256Jws jws;
        try {
            jws = Es256Jws.parse(header, JwsType.STATION_REQUEST);
        } catch (MalformedJws e) {
            throw new ApiException(ErrorCode.SIGNATURE_INVALID, e.getMessage());
        }
        MachineStore.WithKey found = machines.findWithCurrentKey(jws.kid()).orElseThrow(() -> new ApiException(
                ErrorCode.MACHINE_UNKNOWN, "No enrolled machine with id '" + jws.kid() + "'; enroll this station first"));
        StationMachine machine = found.machine();
        MachineStore.MachineKey key = found.key().orElseThrow(() -> new ApiException(
                ErrorCode.MACHINE_UNKNOWN, "Machine " + machine.id() + " has no signing key"));
        if (!Es256.verify(keys.verificationKey(key), jws.signingInput(), jws.signature())) {
            throw new ApiException(ErrorCode.SIGNATURE_INVALID, "The request signature does not verify with machine "
                    + machine.id() + "'s current key (was the key rotated?)");
        }
        SignedRequestClaims p = parsePayload(jws.payload());
        if (!p.method().equals(method) || !p.path().equals(path)) {
            throw new ApiException(ErrorCode.SIGNATURE_INVALID, "The signature is for " + clip(p.method()) + " "
                    + clip(p.path()) + ", not for this request " + method + " " + clip(path));
        }
        long now = System.currentTimeMillis() / 1000;
        if (Math.abs(now - p.timestamp()) > skew.toSeconds()) {
            throw new ApiException(ErrorCode.TIMESTAMP_OUT_OF_RANGE, "Request timestamp " + p.timestamp()
                    + " is more than " + skew.toSeconds() + " s from server time " + now + "; check the station clock");
        }
        if (!SignedRequestClaims.NONCE.matcher(p.nonce()).matches()) {
            throw new ApiException(ErrorCode.SIGNATURE_INVALID, "nonce must be 16-128 base64url characters");
        }
        return new Authenticated(machine, key, p.bodySha256(), new RequestNonce(p.nonce(),
                (p.timestamp() + skew.toSeconds() + 60) * 1000), System.nanoTime());
    }

    /**
     * A request whose signature header held ({@link #authenticate}); its body is not yet bound. {@code checkedAt}
     * (System.nanoTime) dates the machine's state as it was read.
     */
    public record Authenticated(StationMachine machine, MachineStore.MachineKey key, String bodySha256,
                                RequestNonce nonce, long checkedAt) {
    }

    /**
     * Binds the body to an authenticated request and checks the machine's state; the nonce is left to the caller
     * ({@link StationCaller#recordNonce}) or {@link #verify}. A body that took longer than a second to arrive gets
     * the machine's state read again, so a revocation meanwhile holds.
     */
    public StationCaller complete(Authenticated a, byte[] body, Requirement requirement) {
        String bodyHash = SignedRequestClaims.bodyHash(body);
        if (!MessageDigest.isEqual(bodyHash.getBytes(StandardCharsets.US_ASCII),
                a.bodySha256().getBytes(StandardCharsets.US_ASCII))) {
            throw new ApiException(ErrorCode.SIGNATURE_INVALID, "bodySha256 does not match the body sent "
                    + "(base64url SHA-256 of the exact body bytes expected)");
        }
        StationMachine machine = a.machine();
        if (System.nanoTime() - a.checkedAt() > 1_000_000_000L) {
            MachineStore.WithKey now = machines.findWithCurrentKey(machine.id()).orElseThrow(() -> new ApiException(
                    ErrorCode.MACHINE_UNKNOWN, "Machine " + a.machine().id() + " is no longer enrolled"));
            if (now.key().isEmpty() || !now.key().get().id().equals(a.key().id())) {
                throw new ApiException(ErrorCode.SIGNATURE_INVALID, "Machine " + machine.id() + "'s key changed while "
                        + "the request body arrived");
            }
            machine = now.machine();
        }
        requireState(machine, requirement);
        return new StationCaller(machine, a.key(), a.nonce());
    }

    private static ApiException replayed(String machineId) {
        return new ApiException(ErrorCode.REQUEST_REPLAYED, "This request nonce was already used by machine "
                + machineId + ": a replayed request; sign each request with a fresh nonce");
    }

    private void requireState(StationMachine machine, Requirement requirement) {
        if (machine.state() != EnrollmentState.ACTIVE) {
            throw new ApiException(ErrorCode.MACHINE_NOT_ACTIVE, "Machine " + machine.id() + " is " + machine.state()
                    + "; only ACTIVE (approved, not revoked) machines may call this");
        }
        if (requirement == Requirement.ATTESTED) {
            if (machine.attestationStatus() != AttestationStatus.OK) {
                throw new ApiException(ErrorCode.MACHINE_UNATTESTED, "Machine " + machine.id() + " has no passing "
                        + "attestation (status " + machine.attestationStatus() + "); attest first");
            }
            if (machine.overdue(System.currentTimeMillis(), attestationInterval.toMillis())) {
                throw new ApiException(ErrorCode.MACHINE_UNATTESTED, "Machine " + machine.id() + "'s last successful "
                        + "attestation is older than " + attestationInterval + "; attest again");
            }
        }
    }

    private static SignedRequestClaims parsePayload(byte[] json) {
        try {
            return JsonBodies.parse(json, SignedRequestClaims.class);
        } catch (ApiException e) {
            throw new ApiException(ErrorCode.SIGNATURE_INVALID, "Signed payload is not the expected JSON object "
                    + "{method, path, bodySha256, timestamp, nonce}: " + e.getMessage());
        }
    }

    static byte[] sha256(byte[] data) {
        return org.stationtrust.server.internal.auth.Secrets.sha256(data);
    }

    private static String clip(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }
}
