package org.stationtrust.agent.internal.identity;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import org.stationtrust.agent.internal.server.RequestSigning;

/**
 * Signs agent-to-server requests as agreed with server-enroll: header {@code X-Station-Signature} carrying
 * a compact JWS (typ {@code station-request+jws}) over method, path, body SHA-256, timestamp and a nonce.
 */
public final class SignedRequests implements RequestSigning {
    public static final String HEADER = "X-Station-Signature";
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();
    private final MachineSigner signer;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public SignedRequests(MachineSigner signer, Clock clock) {
        this.signer = signer;
        this.clock = clock;
    }

    @Override
    public Map<String, String> headers(String method, String path, byte[] body) {
        byte[] nonce = new byte[16];
        random.nextBytes(nonce);
        ObjectNode payload = JsonNodeFactory.instance.objectNode();
        payload.put("method", method);
        payload.put("path", path);
        payload.put("bodySha256", B64URL.encodeToString(sha256(body)));
        payload.put("timestamp", clock.instant().getEpochSecond());
        payload.put("nonce", B64URL.encodeToString(nonce));
        try {
            return Map.of(HEADER, CompactJws.sign(signer, "station-request+jws", payload.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (MachineSigner.SigningUnavailable e) {
            throw new IllegalStateException("cannot sign the request to the server: " + e.getMessage(), e);
        }
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
