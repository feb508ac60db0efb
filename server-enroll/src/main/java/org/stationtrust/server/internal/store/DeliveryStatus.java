package org.stationtrust.server.internal.store;

/**
 * Where a webhook delivery stands, as stored in {@code webhook_deliveries.status}: PENDING until a 2xx answer
 * (DELIVERED) or until it is given up (FAILED).
 */
public enum DeliveryStatus {
    PENDING, DELIVERED, FAILED;

    /** The stored value; an unknown one is refused (never taken for a delivery still to send or already sent). */
    static DeliveryStatus parse(String stored) {
        for (DeliveryStatus s : values()) {
            if (s.name().equals(stored)) return s;
        }
        throw new IllegalStateException("Unknown delivery status '" + stored + "' in the webhook_deliveries table");
    }
}
