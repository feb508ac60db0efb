package org.stationtrust.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * The payload of a {@link JwsType#STATION_REQUEST}: the request it signs (method, path without query, base64url
 * SHA-256 of the exact body bytes), when (epoch seconds) and a fresh nonce (16-128 base64url characters).
 */
public record SignedRequestClaims(@JsonProperty(value = "method", required = true) String method,
                                  @JsonProperty(value = "path", required = true) String path,
                                  @JsonProperty(value = "bodySha256", required = true) String bodySha256,
                                  @JsonProperty(value = "timestamp", required = true) long timestamp,
                                  @JsonProperty(value = "nonce", required = true) String nonce) {
    public static final Pattern NONCE = Pattern.compile("[A-Za-z0-9_-]{16,128}");

    public SignedRequestClaims {
        if (method == null || path == null || bodySha256 == null || nonce == null) {
            throw new IllegalArgumentException("method, path, bodySha256, timestamp and nonce are required");
        }
    }

    /** The claims for one request; {@code nonce} is random bytes the caller drew. */
    public static SignedRequestClaims of(String method, String path, byte[] body, long epochSeconds, byte[] nonce) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return new SignedRequestClaims(method, path, b64.encodeToString(sha256(body)), epochSeconds,
                b64.encodeToString(nonce));
    }

    /** Base64url SHA-256 of {@code body}, as {@code bodySha256} carries it. */
    public static String bodyHash(byte[] body) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(sha256(body));
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    /** The payload bytes, fields in the documented order. */
    public byte[] toJson() {
        try {
            return WireJson.strict().writeValueAsBytes(this);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write signed-request claims", e);
        }
    }

    /** Equal to {@code SHA-256(body)} in constant time. */
    public boolean coversBody(byte[] body) {
        return MessageDigest.isEqual(bodyHash(body).getBytes(StandardCharsets.US_ASCII),
                bodySha256.getBytes(StandardCharsets.US_ASCII));
    }
}
