package org.stationtrust.server.internal.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.stationtrust.protocol.ErrorCode;
import org.stationtrust.server.internal.http.ApiException;
import org.stationtrust.server.internal.store.Database;
import org.stationtrust.server.internal.store.LoginThrottleStore;

/**
 * Throttles password guessing per account, whatever address the guesses come from: after {@link #FREE_FAILURES}
 * failures in a row an account backs off exponentially (1 s, 2 s, 4 s ... at most {@link #MAX_BACKOFF_MILLIS});
 * attempts during the back-off are refused without looking at the password. The per-address limit is the server's
 * login rate limiter, in front of this.
 * <p>
 * Neither may lock the operator out: a browser that signed into an account before carries a device token
 * (an HttpOnly cookie issued at each successful sign-in, OWASP "device cookies"), and an attempt with a valid one
 * for that account passes both the account back-off and the address limit. A failure with a device token spends
 * that token, so a stolen one buys a single guess.
 * <p>
 * Counters and device tokens live in the database ({@link LoginThrottleStore}), so every instance behind a load
 * balancer sees the same back-off and a restart forgets nothing. Accounts are stored as a keyed digest of the
 * normalised user name; the key derives from the server secret, which instances sharing a database share.
 */
public final class LoginThrottle {
    public static final int FREE_FAILURES = 5;
    public static final long MAX_BACKOFF_MILLIS = 15 * 60_000L;
    public static final String DEVICE_COOKIE = "st_device";
    /** A failure streak is forgotten this long after its last failure (bounds the table; far above the back-off). */
    static final long STREAK_MEMORY_MILLIS = 24 * 3_600_000L;
    /** A device token's life, as its cookie's Max-Age. */
    public static final long DEVICE_LIFE_MILLIS = 365 * 24 * 3_600_000L;

    /** Failures counted for one account: how many in a row and whether the back-off just engaged or grew. */
    public record Failure(int failures, long blockedForMillis, boolean alert) {
    }

    private final Database db;
    private final LoginThrottleStore store;
    private final byte[] usernameKey;

    /**
     * {@code usernameKey}: the secret keying the stored accounts and the digests of user names that failed (see
     * {@link #usernameDigest}).
     */
    public LoginThrottle(Database db, byte[] usernameKey) {
        this.db = db;
        this.store = new LoginThrottleStore(db);
        this.usernameKey = usernameKey.clone();
    }

    /** Whether this browser's device token was issued at a sign-in to {@code username}, and is still valid. */
    public boolean trustedDevice(String username, String deviceToken) {
        if (username == null || deviceToken == null || deviceToken.length() > 100) return false;
        return store.deviceAccount(Secrets.digest(deviceToken), System.currentTimeMillis() - DEVICE_LIFE_MILLIS)
                .map(a -> a.equals(account(username))).orElse(false);
    }

    /** Refuses (429) while the account backs off. */
    public void admit(String username, long now) {
        long until = store.streak(account(username)).map(LoginThrottleStore.Streak::blockedUntil).orElse(0L);
        if (now < until) {
            throw new ApiException(ErrorCode.RATE_LIMITED, "Too many failed sign-ins for this account: retry in "
                    + Math.max(1, (until - now + 999) / 1000) + " s (a browser that signed in here before is "
                    + "not held back)");
        }
    }

    /** Counts a failure (on every instance's counter: one row); spends the device token that came with it, if any. */
    public Failure failed(String username, String deviceToken, long now) {
        String account = account(username);
        int failures = db.inTransaction(c -> {
            if (deviceToken != null) store.spendDevice(c, Secrets.digest(deviceToken));
            store.forgetStreaksBefore(c, now - STREAK_MEMORY_MILLIS);
            int n = store.countFailure(c, account, now);
            if (n >= FREE_FAILURES) store.block(c, account, now + backoff(n));
            return n;
        });
        boolean alert = failures == FREE_FAILURES || (failures > FREE_FAILURES
                && Integer.bitCount(failures - FREE_FAILURES) == 1);
        return new Failure(failures, failures < FREE_FAILURES ? 0 : backoff(failures), alert);
    }

    /** Clears the account's failures and returns a new device token for the browser. */
    public String succeeded(String username) {
        long now = System.currentTimeMillis();
        String account = account(username);
        String token = Secrets.newToken("std_");
        db.inTransaction(c -> {
            store.clear(c, account);
            store.addDevice(c, Secrets.digest(token), account, now, now - DEVICE_LIFE_MILLIS);
            return null;
        });
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
        return "unknown-user#" + HexFormat.of().formatHex(mac("failed-login-username:" + username), 0, 8);
    }

    /** The stored name of an account: a keyed digest of the trimmed, lower-cased, clipped user name. */
    private String account(String username) {
        String u = username == null ? "" : username.strip().toLowerCase(Locale.ROOT);
        return HexFormat.of().formatHex(mac("login-account:" + (u.length() > 64 ? u.substring(0, 64) : u)));
    }

    private byte[] mac(String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(usernameKey, "HmacSHA256"));
            return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required by every Java platform", e);
        }
    }
}
