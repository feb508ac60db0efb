package org.stationtrust.sbi.client;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The SBI 0.9.5 registration hash chain (docs/sbi-protocol.md "Hash chain"): {@code prev = SHA-256("")} at the
 * start, then {@code hash = UPPER_HEX(SHA-256(prev || SHA-256(isoRecord)))} where {@code prev} is the
 * raw 32 bytes of the previous hash. Immutable: {@link #next} returns the following link.
 */
public final class HashChain {
    /** Hex SHA-256 of the empty string: the previousHash of a registration's first capture. */
    public static final String START_HEX = "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855";
    private static final HexFormat UPPER = HexFormat.of().withUpperCase();

    private final byte[] current;

    private HashChain(byte[] current) {
        this.current = current;
    }

    /** The chain of a new registration. */
    public static HashChain start() {
        return new HashChain(UPPER.parseHex(START_HEX));
    }

    /** Continues a chain from a previous hash (64 hex digits, any case). */
    public static HashChain continueFrom(String previousHashHex) {
        if (previousHashHex == null || previousHashHex.length() != 64) {
            throw new IllegalArgumentException("previousHash must be 64 hex digits, got "
                    + (previousHashHex == null ? "nothing" : previousHashHex.length() + " characters"));
        }
        try {
            return new HashChain(HexFormat.of().parseHex(previousHashHex.toLowerCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("previousHash is not hexadecimal", e);
        }
    }

    /** The link after one biometric record (the decoded bioValue). */
    public HashChain next(byte[] isoRecord) {
        MessageDigest sha = sha256();
        byte[] recordHash = sha.digest(isoRecord);
        sha.update(current);
        sha.update(recordHash);
        return new HashChain(sha.digest());
    }

    /** The current hash as upper-case hex, as sent in previousHash and received in hash. */
    public String hex() {
        return UPPER.formatHex(current);
    }

    /** True when {@code hashHex} (any case) is this link. */
    public boolean matches(String hashHex) {
        return hashHex != null && hashHex.equalsIgnoreCase(hex());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return "HashChain[" + hex() + "]";
    }
}
