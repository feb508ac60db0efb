package org.stationtrust.agent.internal.queue;

import java.util.Optional;
import org.stationtrust.logging.JsonLog;

/**
 * The background loop that drains the {@link OutboundQueue} through a {@link Delivery}, one message at a time, in order,
 * then any {@link Shipment} (the audit log's batches). A transient failure ends the queue's pass and holds the whole
 * queue with backoff ({@link OutboundQueue#retryLater}).
 */
public final class Courier implements AutoCloseable {
    private static final JsonLog LOG = new JsonLog(Courier.class);
    private final OutboundQueue queue;
    private final Delivery delivery;
    private final java.util.List<Shipment> shipments;
    private volatile Foreground foreground = new Foreground();
    /** Longest a delivery waits for a capture in progress to end. */
    private static final long YIELD_MILLIS = 1000;
    private final Thread thread;
    private volatile boolean running = true;

    public Courier(OutboundQueue queue, Delivery delivery, Shipment... shipments) {
        this.queue = queue;
        this.delivery = delivery;
        this.shipments = java.util.List.of(shipments);
        this.thread = new Thread(this::loop, "queue-courier");
        this.thread.setDaemon(true);
    }

    /** Deliveries wait for the captures counted here to end (bounded), so they do not compete with them. */
    public Courier yieldingTo(Foreground captures) {
        this.foreground = captures;
        return this;
    }

    public Courier start() {
        thread.start();
        return this;
    }

    /** Sends everything due now; returns how many messages were acknowledged. Used by the loop and by tests. */
    public int drainDue() {
        int delivered = 0;
        Optional<OutboundItem> next;
        while (running && (next = queue.nextDue()).isPresent()) {
            OutboundItem item = next.get();
            yieldToCaptures();
            Delivery.Outcome outcome;
            try {
                outcome = delivery.deliver(item);
            } catch (RuntimeException e) {
                outcome = new Delivery.RetryLater(e.getClass().getSimpleName() + ": " + e.getMessage());
            }
            if (outcome instanceof Delivery.Conflict conflict) {
                LOG.warn("queue.conflict", "kind", item.kind(), "idempotency", item.idempotencyKey(),
                        "reason", conflict.reason());
                outcome = new Delivery.Delivered();
            } else if (outcome instanceof Delivery.TooLarge tooLarge) {
                outcome = new Delivery.Refused(tooLarge.reason());
            }
            if (outcome instanceof Delivery.Delivered) {
                queue.delivered(item.idempotencyKey());
                delivered++;
                LOG.info("queue.delivered", "kind", item.kind(), "idempotency", item.idempotencyKey(),
                        "attempts", item.attempts() + 1);
            } else if (outcome instanceof Delivery.RetryLater retry) {
                queue.retryLater(item.idempotencyKey(), retry.reason());
                LOG.info("queue.retry", "kind", item.kind(), "idempotency", item.idempotencyKey(),
                        "reason", retry.reason());
                // the pass ends here: the messages behind would fail the same way, each after a TPM signature
                break;
            } else if (outcome instanceof Delivery.Refused refused) {
                queue.park(item.idempotencyKey(), refused.reason());
                LOG.warn("queue.parked", "kind", item.kind(), "idempotency", item.idempotencyKey(),
                        "reason", refused.reason());
            }
        }
        for (Shipment shipment : shipments) {
            if (!running) break;
            if (shipment.millisUntilDue().orElse(1L) == 0) yieldToCaptures();
            delivered += shipment.shipDue();
        }
        return delivered;
    }

    private void yieldToCaptures() {
        try {
            foreground.awaitQuiet(YIELD_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    private long millisUntilNextDue() {
        long wait = queue.millisUntilNextDue().orElse(60_000L);
        for (Shipment shipment : shipments) wait = Math.min(wait, shipment.millisUntilDue().orElse(60_000L));
        return wait;
    }

    private void loop() {
        while (running) {
            try {
                drainDue();
                long wait = millisUntilNextDue();
                if (wait > 0) queue.awaitWork(Math.min(wait, 60_000L));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.error("queue.error", "reason", e.getMessage());
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            if (thread.isAlive()) thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
