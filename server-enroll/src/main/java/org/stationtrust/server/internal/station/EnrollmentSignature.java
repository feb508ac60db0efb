package org.stationtrust.server.internal.station;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import org.stationtrust.protocol.ErrorCode;
import org.stationtrust.protocol.Es256Jws;
import org.stationtrust.protocol.JwsType;
import org.stationtrust.protocol.MalformedJws;
import org.stationtrust.protocol.SignedRequestClaims;
import org.stationtrust.server.internal.http.ApiException;
import org.stationtrust.server.internal.http.JsonBodies;
import org.stationtrust.tpm.verify.TpmPublic;

/**
 * The optional {@code X-Station-Signature} of an enrollment request (docs/server-api.md, "Enrollment", retry): the
 * same JWS as a signed station request, but before the station has a machine id, so its {@code kid} is the hex TPM
 * Name of the machine key the request body carries, and that key verifies it. It proves that whoever sent this
 * request holds the machine key (a TPM-resident key), which a retry of an enrollment whose token is spent needs.
 * Order: parse, kid names the body's key, signature, method and path bound, nonce form, body bound; the nonce is
 * recorded by the enrollment's own transaction (single use per enrollment). The timestamp window is checked only
 * when the signature is what admits the request, a retry ({@link Proof#requireTimely}): a first enrollment needs no
 * signature, so a station clock that is off does not stop it (as before signatures were sent).
 */
public final class EnrollmentSignature {
    private EnrollmentSignature() {
    }

    /** An enrollment request as it arrived: method, path, exact body bytes, the signature header (null: none). */
    public record Presented(String method, String path, byte[] body, String header, Duration skew) {
    }

    /** A signature that holds: its nonce (kept past the timestamp window) and the station's time it names. */
    public record Proof(SignedRequestVerifier.RequestNonce nonce, long timestamp, Duration skew) {
        /** Refuses the request when its time is outside the window, as every signed station request is. */
        public void requireTimely() {
            long now = System.currentTimeMillis() / 1000;
            if (Math.abs(now - timestamp) > skew.toSeconds()) {
                throw new ApiException(ErrorCode.TIMESTAMP_OUT_OF_RANGE, "Request timestamp " + timestamp
                        + " is more than " + skew.toSeconds() + " s from server time " + now + "; check the station clock");
            }
        }
    }

    /**
     * Checks the header when present; empty when absent (a first enrollment need not be signed). A header that is
     * present and does not hold is refused, never ignored. {@code machineKey} passed the machine-key rules.
     */
    public static Optional<Proof> check(Presented request, TpmPublic machineKey) {
        if (request.header() == null) return Optional.empty();
        String method = request.method();
        String path = request.path();
        String header = request.header();
        Duration skew = request.skew();
        Es256Jws jws;
        try {
            jws = Es256Jws.parse(header, JwsType.STATION_REQUEST);
        } catch (MalformedJws e) {
            throw new ApiException(ErrorCode.SIGNATURE_INVALID, e.getMessage());
        }
        String keyName = HexFormat.of().formatHex(machineKey.name());
        if (!MessageDigest.isEqual(keyName.getBytes(StandardCharsets.US_ASCII),
                jws.kid().getBytes(StandardCharsets.US_ASCII))) {
            throw new ApiException(ErrorCode.SIGNATURE_INVALID, "An enrollment's signature names in kid the hex TPM Name "
                    + "of the machine key in its body (" + keyName + ")");
        }
        if (!Es256.verify(Es256.key(machineKey.toPublicKey()), jws.signingInput(), jws.signature())) {
            throw new ApiException(ErrorCode.SIGNATURE_INVALID, "The enrollment signature does not verify with the "
                    + "machine key in the request body");
        }
        SignedRequestClaims p = claims(jws.payload());
        if (!p.method().equals(method) || !p.path().equals(path)) {
            throw new ApiException(ErrorCode.SIGNATURE_INVALID, "The signature is for another request than this "
                    + method + " " + path);
        }
        if (!SignedRequestClaims.NONCE.matcher(p.nonce()).matches()) {
            throw new ApiException(ErrorCode.SIGNATURE_INVALID, "nonce must be 16-128 base64url characters");
        }
        if (!p.coversBody(request.body())) {
            throw new ApiException(ErrorCode.SIGNATURE_INVALID, "bodySha256 does not match the body sent "
                    + "(base64url SHA-256 of the exact body bytes expected)");
        }
        return Optional.of(new Proof(new SignedRequestVerifier.RequestNonce(p.nonce(), (p.timestamp() + skew.toSeconds()
                + 60) * 1000), p.timestamp(), skew));
    }

    private static SignedRequestClaims claims(byte[] json) {
        try {
            return JsonBodies.parse(json, SignedRequestClaims.class);
        } catch (ApiException e) {
            throw new ApiException(ErrorCode.SIGNATURE_INVALID, "Signed payload is not the expected JSON object "
                    + "{method, path, bodySha256, timestamp, nonce}: " + e.getMessage());
        }
    }
}
