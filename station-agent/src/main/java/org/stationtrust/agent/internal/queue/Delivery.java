package org.stationtrust.agent.internal.queue;

/** Sends one queued message to the server and says what happened. */
@FunctionalInterface
public interface Delivery {
    Outcome deliver(OutboundItem item);

    /** What the server said about one attempt. */
    sealed interface Outcome permits Delivered, RetryLater, Refused {
    }

    /** Acknowledged (2xx, or "already have it" for a resent idempotency key). */
    record Delivered() implements Outcome {
    }

    /** Network failure, timeout, 5xx, 408, 429: try again with backoff. */
    record RetryLater(String reason) implements Outcome {
    }

    /** The server refuses this message for good (4xx): park it for an operator, never drop it silently. */
    record Refused(String reason) implements Outcome {
    }
}
