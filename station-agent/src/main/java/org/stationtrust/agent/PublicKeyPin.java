package org.stationtrust.agent;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A pin of the server's public key: the SHA-256 of its DER SubjectPublicKeyInfo, written {@code sha256/<base64>} as
 * OkHttp's {@code CertificatePinner} writes it. A renewed certificate for the same key still matches; a new key
 * matches only once its pin is configured (the "next" pin of a planned rotation).
 */
public record PublicKeyPin(String base64) {
    private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");
    private static final String PREFIX = "sha256/";

    public PublicKeyPin {
        byte[] digest;
        try {
            digest = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("a public key pin is sha256/ followed by the base64 SHA-256 of the key");
        }
        if (digest.length != 32 || !Base64.getEncoder().encodeToString(digest).equals(base64)) {
            throw new IllegalArgumentException("a public key pin is sha256/ followed by 44 base64 characters (32 bytes)");
        }
    }

    /** {@code sha256/<base64>}, or the same 32 bytes as 64 hex digits (colons allowed). */
    public static PublicKeyPin parse(String text) {
        String t = text == null ? "" : text.trim();
        if (t.startsWith(PREFIX)) return new PublicKeyPin(t.substring(PREFIX.length()));
        String hex = t.replace(":", "").toLowerCase(Locale.ROOT);
        if (HEX.matcher(hex).matches()) return new PublicKeyPin(Base64.getEncoder().encodeToString(HexFormat.of().parseHex(hex)));
        throw new IllegalArgumentException("expected sha256/<base64 of the SubjectPublicKeyInfo SHA-256> (or 64 hex digits)");
    }

    /** The pin of {@code key} (its X.509 SubjectPublicKeyInfo encoding). */
    public static PublicKeyPin of(PublicKey key) {
        try {
            return new PublicKeyPin(Base64.getEncoder().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(key.getEncoded())));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    /** True when {@code key} is the pinned key (constant-time comparison). */
    public boolean matches(PublicKey key) {
        return MessageDigest.isEqual(Base64.getDecoder().decode(of(key).base64()), Base64.getDecoder().decode(base64));
    }

    @Override
    public String toString() {
        return PREFIX + base64;
    }
}
