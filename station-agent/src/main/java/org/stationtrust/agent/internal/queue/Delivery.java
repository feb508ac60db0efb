package org.stationtrust.agent.internal.queue;

/** Sends one queued message to the server and says what happened. */
@FunctionalInterface
public interface Delivery {
    Outcome deliver(OutboundItem item);

    /** What the server said about one attempt. */
    sealed interface Outcome permits Delivered, RetryLater, Refused, Conflict, TooLarge {
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

    /**
     * 409: the server already has this message (or one of a batch's events) under its id. For a single message
     * that is an acknowledgement; a batch answered 409 stored nothing and must be split.
     */
    record Conflict(String reason) implements Outcome {
    }

    /** 413: the body is larger than the server accepts; a single message is parked, a batch is split. */
    record TooLarge(String reason) implements Outcome {
    }
}
