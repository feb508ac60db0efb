package org.stationtrust.server.internal.attest;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.stationtrust.protocol.ErrorCode;
import org.stationtrust.server.internal.auth.Secrets;
import org.stationtrust.server.internal.http.ApiException;

/**
 * Stateless attestation nonces: issuing one writes nothing; the nonce itself carries what the server would
 * otherwise have stored, bound by a MAC under a server secret that every instance on the database shares.
 * Single use is still decided by the database: consuming a nonce inserts it under a unique key (see
 * {@code NonceStore}), so two instances can never both accept one.
 *
 * <p>Layout, 32 bytes (the size stations already handle and quote as TPM2B_DATA): version (1) | purpose (1) |
 * expiry, Unix seconds, unsigned (4) | random (10) | HMAC-SHA256 over the first 16 bytes and the machine id,
 * truncated to 16 bytes. The machine id is only in the MAC, so a nonce issued to one machine fails for another.
 */
public final class NonceTokens {
    public static final int LENGTH = 32;
    private static final byte VERSION = 1;
    private static final int MAC_OFFSET = 16;
    private static final byte[] DOMAIN = "station-trust attestation nonce v1".getBytes(StandardCharsets.US_ASCII);

    /**
     * One initialised MAC per request thread: looking the algorithm up and keying it cost about as much as the MAC of
     * a nonce itself. Each use is complete (doFinal resets it), so nothing of one nonce carries into the next.
     */
    private final ThreadLocal<Mac> macs;

    /** @param secret the shared server secret (at least 32 characters), or null for a random key of this process */
    public NonceTokens(char[] secret) {
        byte[] k = secret == null ? Secrets.randomBytes(32)
                : Secrets.sha256(new String(secret).getBytes(StandardCharsets.UTF_8));
        SecretKeySpec key = new SecretKeySpec(k, "HmacSHA256");
        this.macs = ThreadLocal.withInitial(() -> keyed(key));
    }

    /** A fresh nonce for this machine and purpose, valid until expiresAtMillis (rounded down to the second). */
    public byte[] issue(String machineId, String purpose, long expiresAtMillis) {
        ByteBuffer b = ByteBuffer.allocate(LENGTH);
        b.put(VERSION).put(purposeCode(purpose)).putInt((int) (expiresAtMillis / 1000)).put(Secrets.randomBytes(10));
        byte[] out = b.array();
        System.arraycopy(mac(out, machineId), 0, out, MAC_OFFSET, LENGTH - MAC_OFFSET);
        return out;
    }

    /** What a verified nonce says. */
    public record Verified(long expiresAtMillis) {
    }

    /**
     * Checks that this server issued the nonce to this machine for this purpose and that it has not expired; refuses
     * with {@code nonce_invalid} and a message naming which check failed. Whether it was already used is the
     * database's decision, made when it is consumed.
     */
    public Verified verify(byte[] nonce, String machineId, String purpose, long nowMillis) {
        Verified v = verifyIssued(nonce, machineId, purpose);
        if (v.expiresAtMillis() <= nowMillis) {
            throw refused("the nonce expired " + (nowMillis - v.expiresAtMillis()) / 1000 + " s ago; request a fresh "
                    + "one and answer it promptly");
        }
        return v;
    }

    /**
     * The checks of {@link #verify} but the expiry: this server issued the nonce to this machine for this purpose.
     * For a withdrawal (docs/server-api.md, "Withdrawing a rotation"), which may name an expired nonce.
     */
    public Verified verifyIssued(byte[] nonce, String machineId, String purpose) {
        if (nonce.length != LENGTH || nonce[0] != VERSION) {
            throw refused("the nonce is not one this server issues (wrong length or version); request a fresh one");
        }
        byte[] expected = mac(nonce, machineId);
        if (!MessageDigest.isEqual(Arrays.copyOfRange(nonce, MAC_OFFSET, LENGTH), Arrays.copyOf(expected,
                LENGTH - MAC_OFFSET))) {
            throw refused("the nonce was not issued by this server to machine " + machineId + " (altered, forged, "
                    + "issued to another machine, or by a server with another SERVER_NONCE_KEY); request a fresh one");
        }
        if (nonce[1] != purposeCode(purpose)) {
            throw refused("the nonce was issued for another purpose than '" + purpose + "'; request one for '"
                    + purpose + "'");
        }
        return new Verified(Integer.toUnsignedLong(ByteBuffer.wrap(nonce, 2, 4).getInt()) * 1000);
    }

    private static ApiException refused(String why) {
        return new ApiException(ErrorCode.NONCE_INVALID, "Nonce refused: " + why);
    }

    private static byte purposeCode(String purpose) {
        return switch (purpose) {
            case AttestationService.PURPOSE_QUOTE -> 1;
            case AttestationService.PURPOSE_KEY_ROTATION -> 2;
            default -> throw new IllegalArgumentException("unknown nonce purpose " + purpose);
        };
    }

    private byte[] mac(byte[] nonce, String machineId) {
        Mac m = macs.get();
        m.update(DOMAIN);
        m.update(nonce, 0, MAC_OFFSET);
        m.update(machineId.getBytes(StandardCharsets.UTF_8));
        return m.doFinal();
    }

    private static Mac keyed(SecretKeySpec key) {
        try {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(key);
            return m;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
