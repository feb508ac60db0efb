package org.stationtrust.server.internal.auth;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.nio.charset.StandardCharsets;

/** Random bearer secrets (sessions, API and enrollment tokens) and the digests stored in their place. */
public final class Secrets {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Secrets() {
    }

    /** A 256-bit random token, base64url, with a short prefix telling what kind it is. */
    public static String newToken(String prefix) {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    public static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    public static String newId() {
        return HexFormat.of().formatHex(randomBytes(16));
    }

    /**
     * An id of the same shape (32 hex digits) whose first 12 digits are the time in milliseconds, so that rows
     * inserted under it land at the end of their index instead of on a random page; 80 random bits follow.
     */
    public static String newTimeOrderedId() {
        byte[] id = randomBytes(16);
        long now = System.currentTimeMillis();
        for (int i = 5; i >= 0; i--) {
            id[i] = (byte) now;
            now >>>= 8;
        }
        return HexFormat.of().formatHex(id);
    }

    /** Only the SHA-256 of a token is stored, so a database leak does not hand out live tokens. */
    public static String digest(String token) {
        return HexFormat.of().formatHex(sha256(token.getBytes(StandardCharsets.UTF_8)));
    }

    public static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}
