package org.stationtrust.server.internal.notify;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signature a receiver checks: {@code X-StationTrust-Signature: v1=<hex HMAC-SHA256>} under the webhook's
 * secret, over the ASCII timestamp of {@code X-StationTrust-Timestamp} (Unix seconds), a full stop, and the exact
 * body bytes. The timestamp is signed so that a receiver can refuse an old request replayed by someone who saw it;
 * the body carries the delivery id, so a replay under another idempotency key does not verify either.
 */
public final class WebhookSignature {
    public static final String HEADER = "X-StationTrust-Signature";
    public static final String TIMESTAMP_HEADER = "X-StationTrust-Timestamp";
    public static final String DELIVERY_HEADER = "X-StationTrust-Delivery";
    public static final String EVENT_HEADER = "X-StationTrust-Event";

    private WebhookSignature() {
    }

    public static String sign(String secret, long timestampSeconds, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((timestampSeconds + ".").getBytes(StandardCharsets.US_ASCII));
            return "v1=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }
}
