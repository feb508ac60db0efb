package org.stationtrust.server.internal.http;

import java.util.EnumSet;
import java.util.Set;
import java.util.function.Supplier;
import org.stationtrust.protocol.ErrorCode;

/**
 * Limits, per client address, the station authentications that fail: a signature, key or timestamp check before
 * the body, and an unsigned quote's verification. Each costs an ES256 or quote check (and a key lookup) that anyone
 * may ask for; a station's usual traffic (one nonce and one quote per attestation interval) never fails them. Only
 * failures spend a token: a passing check reads the bucket of its address, which exists only once that address has
 * failed, and writes nothing.
 */
public final class FailedChecks {
    /** The refusals that mean an authentication did not verify (not a busy server, not a policy decision). */
    private static final Set<ErrorCode> FAILURES = EnumSet.of(ErrorCode.SIGNATURE_INVALID, ErrorCode.MACHINE_UNKNOWN,
            ErrorCode.TIMESTAMP_OUT_OF_RANGE, ErrorCode.REQUEST_REPLAYED, ErrorCode.NONCE_INVALID,
            ErrorCode.QUOTE_INVALID);

    private final RateLimiter failures;
    private final int perMinute;
    private final Runnable onRefusal;

    public FailedChecks(int perMinute, Runnable onRefusal) {
        this.failures = new RateLimiter(perMinute);
        this.perMinute = perMinute;
        this.onRefusal = onRefusal;
    }

    /**
     * Runs {@code check} for {@code client}, unless that address has used up its failures (429 {@code rate_limited},
     * nothing checked); a failure of the check spends one.
     */
    public <T> T guard(String client, Supplier<T> check) {
        String key = ClientAddress.limitKey(client);
        if (failures.exhausted(key)) {
            onRefusal.run();
            throw new ApiException(ErrorCode.RATE_LIMITED, "Too many failed signature or quote checks from this address "
                    + "(at most " + perMinute + " a minute); wait a minute and check the station's keys and clock");
        }
        try {
            return check.get();
        } catch (ApiException e) {
            if (FAILURES.contains(e.code())) failures.spend(key);
            throw e;
        }
    }
}
