package org.stationtrust.agent.internal.queue;

import java.util.Optional;

/** A second outbox the courier drains besides the queue's rows (the station's audit log, sent in batches). */
public interface Shipment {
    /** Sends what is due now; returns how many messages the server acknowledged. */
    int shipDue();

    /** Milliseconds until something is due, or empty when nothing waits. */
    Optional<Long> millisUntilDue();
}
