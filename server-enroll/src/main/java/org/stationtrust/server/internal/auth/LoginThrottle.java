package org.stationtrust.server.internal.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.stationtrust.protocol.ErrorCode;
import org.stationtrust.server.internal.http.ApiException;

/**
 * Throttles password guessing per account, whatever address the guesses come from: after {@link #FREE_FAILURES}
 * failures in a row an account backs off exponentially (1 s, 2 s, 4 s ... at most {@link #MAX_BACKOFF_MILLIS});
 * attempts during the back-off are refused without looking at the password. The per-address limit is the server's
 * login rate limiter, in front of this.
 * <p>
 * Neither may lock the operator out: a browser that signed into an account before carries a device token
 * (an HttpOnly cookie issued at each successful sign-in, OWASP "device cookies"), and an attempt with a valid one
 * for that account passes both the account back-off and the address limit. A failure with a device token spends
 * that token, so a stolen one buys a single guess. Tokens and counters are per server instance and in memory: a
 * restart forgets them (the operator signs in normally, an attacker starts counting again from zero).
 */
public final class LoginThrottle {
    public static final int FREE_FAILURES = 5;
    public static final long MAX_BACKOFF_MILLIS = 15 * 60_000L;
    public static final String DEVICE_COOKIE = "st_device";
    private static final int MAX_TRACKED = 100_000;

    private record Account(int failures, long blockedUntil) {
    }

    /** Failures counted for one account: how many in a row and whether the back-off just engaged or grew. */
    public record Failure(int failures, long blockedForMillis, boolean alert) {
    }

    private final ConcurrentHashMap<String, Account> accounts = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, String> devices = new ConcurrentHashMap<>();
    private final byte[] usernameKey;

    /** {@code usernameKey}: the secret keying the digests of user names that failed (see {@link #usernameDigest}). */
    public LoginThrottle(byte[] usernameKey) {
        this.usernameKey = usernameKey.clone();
    }

    /** Whether this browser's device token was issued at a sign-in to {@code username}. */
    public boolean trustedDevice(String username, String deviceToken) {
        if (username == null || deviceToken == null || deviceToken.length() > 100) return false;
        return key(username).equals(devices.get(Secrets.digest(deviceToken)));
    }

    /** Refuses (429) while the account backs off. */
    public void admit(String username, long now) {
        Account a = accounts.get(key(username));
        if (a != null && now < a.blockedUntil()) {
            throw new ApiException(ErrorCode.RATE_LIMITED, "Too many failed sign-ins for this account: retry in "
                    + Math.max(1, (a.blockedUntil() - now + 999) / 1000) + " s (a browser that signed in here before is "
                    + "not held back)");
        }
    }

    /** Counts a failure; spends the device token that came with it, if any. */
    public Failure failed(String username, String deviceToken, long now) {
        if (deviceToken != null) devices.remove(Secrets.digest(deviceToken));
        if (accounts.size() > MAX_TRACKED) accounts.clear();
        Account a = accounts.merge(key(username), new Account(1, 0), (old, one) -> {
            int n = old.failures() + 1;
            return new Account(n, n < FREE_FAILURES ? 0 : now + backoff(n));
        });
        boolean alert = a.failures() == FREE_FAILURES || (a.failures() > FREE_FAILURES
                && Integer.bitCount(a.failures() - FREE_FAILURES) == 1);
        return new Failure(a.failures(), a.failures() < FREE_FAILURES ? 0 : backoff(a.failures()), alert);
    }

    /** Clears the account's failures and returns a new device token for the browser. */
    public String succeeded(String username) {
        accounts.remove(key(username));
        if (devices.size() > MAX_TRACKED) devices.clear();
        String token = Secrets.newToken("std_");
        devices.put(Secrets.digest(token), key(username));
        return token;
    }

    static long backoff(int failures) {
        int doublings = Math.min(failures - FREE_FAILURES, 20);
        return Math.min(MAX_BACKOFF_MILLIS, 1000L << doublings);
    }

    /**
     * What the audit log keeps of a user name that matched no account: a keyed digest, so that a password typed into
     * the user field never lands in the immutable audit chain, while repeated attempts with the same name can still
     * be told apart.
     */
    public String usernameDigest(String username) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(usernameKey, "HmacSHA256"));
            byte[] d = mac.doFinal(("failed-login-username:" + username).getBytes(StandardCharsets.UTF_8));
            return "unknown-user#" + HexFormat.of().formatHex(d, 0, 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required by every Java platform", e);
        }
    }

    private static String key(String username) {
        String u = username == null ? "" : username.strip().toLowerCase(Locale.ROOT);
        return u.length() > 64 ? u.substring(0, 64) : u;
    }
}
