package org.stationtrust.agent.internal.queue;

import java.util.Objects;

/** One message bound for the server, decrypted; the idempotency key travels with every attempt. */
public record OutboundItem(String idempotencyKey, String kind, String path, byte[] body, int attempts) {
    public OutboundItem {
        Objects.requireNonNull(idempotencyKey);
        Objects.requireNonNull(kind);
        Objects.requireNonNull(path);
        Objects.requireNonNull(body);
        if (!path.startsWith("/")) throw new IllegalArgumentException("path must start with /");
    }
}
