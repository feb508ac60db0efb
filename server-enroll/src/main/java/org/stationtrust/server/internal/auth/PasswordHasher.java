package org.stationtrust.server.internal.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Argon2id password hashes (RFC 9106), encoded as {@code $argon2id$v=19$m=..,t=..,p=..$salt$hash}.
 * Default cost follows the OWASP minimum (19 MiB, 2 passes, 1 lane). Every hash and check runs in a
 * {@link PasswordHashSlots} slot: the memory of hashes running at once is bounded.
 */
public final class PasswordHasher {
    public static final int MIN_PASSWORD_LENGTH = 12;
    public static final int MAX_PASSWORD_LENGTH = 1024;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The Argon2id memory cost of a new hash, in KiB (OWASP minimum). */
    public static final int MEMORY_KIB = 19 * 1024;

    private final int memoryKib;
    private final int iterations;
    private final PasswordHashSlots slots;

    /** The command line's hasher: as many hashes at once as {@link PasswordHashSlots#automatic} allows. */
    public PasswordHasher() {
        this(new PasswordHashSlots(PasswordHashSlots.automatic(MEMORY_KIB)));
    }

    /** The server's hasher: every hash and check runs in one of {@code slots}, or is refused when none is free. */
    public PasswordHasher(PasswordHashSlots slots) {
        this(MEMORY_KIB, 2, slots);
    }

    PasswordHasher(int memoryKib, int iterations, PasswordHashSlots slots) {
        this.memoryKib = memoryKib;
        this.iterations = iterations;
        this.slots = slots;
    }

    public String hash(char[] password) {
        requireAcceptable(password);
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        byte[] out = slots.run(() -> derive(password, salt, memoryKib, iterations, 1));
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        return "$argon2id$v=19$m=" + memoryKib + ",t=" + iterations + ",p=1$" + b64.encodeToString(salt) + "$"
                + b64.encodeToString(out);
    }

    /**
     * Constant-time comparison; a malformed stored hash never matches. Refused (503 {@code server_busy}) when every
     * hash slot is taken: that is no answer about the password.
     */
    public boolean matches(char[] password, String encoded) {
        if (password == null || password.length > MAX_PASSWORD_LENGTH || encoded == null) return false;
        Optional<Stored> stored = Stored.parse(encoded);
        if (stored.isEmpty()) return false;
        Stored h = stored.get();
        Optional<byte[]> derived = slots.run(() -> {
            try {
                return Optional.of(derive(password, h.salt(), h.m(), h.t(), h.p()));
            } catch (IllegalArgumentException | IllegalStateException unusableParameters) {
                return Optional.empty();
            }
        });
        return derived.map(d -> MessageDigest.isEqual(h.expected(), d)).orElse(false);
    }

    /** A stored hash's parameters, salt and value, within the bounds this server ever writes or accepts. */
    private record Stored(int m, int t, int p, byte[] salt, byte[] expected) {
        static Optional<Stored> parse(String encoded) {
            String[] parts = encoded.split("\\$");
            if (parts.length != 6 || !parts[1].equals("argon2id") || !parts[2].equals("v=19")) return Optional.empty();
            try {
                int m = 0, t = 0, p = 0;
                for (String kv : parts[3].split(",")) {
                    String[] pair = kv.split("=");
                    int v = Integer.parseInt(pair[1]);
                    switch (pair[0]) {
                        case "m" -> m = v;
                        case "t" -> t = v;
                        case "p" -> p = v;
                        default -> {
                            return Optional.empty();
                        }
                    }
                }
                if (m < 8 || m > 1 << 20 || t < 1 || t > 10 || p < 1 || p > 4) return Optional.empty();
                return Optional.of(new Stored(m, t, p, Base64.getDecoder().decode(parts[4]),
                        Base64.getDecoder().decode(parts[5])));
            } catch (RuntimeException malformed) {
                return Optional.empty();
            }
        }
    }

    public static void requireAcceptable(char[] password) {
        if (password == null || password.length < MIN_PASSWORD_LENGTH || password.length > MAX_PASSWORD_LENGTH) {
            throw new IllegalArgumentException("Password must be " + MIN_PASSWORD_LENGTH + " to "
                    + MAX_PASSWORD_LENGTH + " characters long; choose a longer passphrase");
        }
    }

    private static byte[] derive(char[] password, byte[] salt, int m, int t, int p) {
        Argon2Parameters params = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(m).withIterations(t).withParallelism(p).withSalt(salt).build();
        Argon2BytesGenerator gen = new Argon2BytesGenerator();
        gen.init(params);
        byte[] out = new byte[32];
        byte[] pw = new String(password).getBytes(StandardCharsets.UTF_8);
        gen.generateBytes(pw, out);
        java.util.Arrays.fill(pw, (byte) 0);
        return out;
    }
}
