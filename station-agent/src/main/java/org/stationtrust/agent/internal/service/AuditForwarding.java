package org.stationtrust.agent.internal.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stationtrust.agent.internal.queue.OutboundQueue;

/**
 * Sends the station's audit records to the server ({@code POST /api/v1/stations/audit-events}) through the
 * outbound queue. Records appended before the queue is open (start-up) are held and queued when it opens.
 * Records are already redacted by the audit log; the event id (sequence number and hash prefix) makes a resend
 * recognisable. A queue failure (full disk) never fails the audit append itself.
 */
final class AuditForwarding implements Consumer<ObjectNode> {
    static final String PATH = "/api/v1/stations/audit-events";
    private static final Logger LOG = LoggerFactory.getLogger(AuditForwarding.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Bound on records held before the queue opens; start-up appends only a handful. */
    private static final int MAX_PENDING = 1000;
    static final int MAX_FIELDS_CHARS = 4000;

    private final List<ObjectNode> pending = new ArrayList<>();
    private OutboundQueue queue;
    private boolean discard;

    @Override
    public synchronized void accept(ObjectNode record) {
        if (discard) return;
        if (queue == null) {
            if (pending.size() < MAX_PENDING) pending.add(record);
            return;
        }
        enqueue(record);
    }

    /** From now on records go to this queue, starting with those held so far. */
    synchronized void deliverTo(OutboundQueue queue) {
        this.queue = queue;
        pending.forEach(this::enqueue);
        pending.clear();
    }

    /** No server is configured: nothing is forwarded. */
    synchronized void discard() {
        discard = true;
        pending.clear();
    }

    private void enqueue(ObjectNode record) {
        try {
            queue.enqueue("audit", PATH, body(record));
        } catch (RuntimeException e) {
            LOG.warn("event=audit.forward_failed seq={} reason=\"{}\"", record.path("seq").asLong(), e.getMessage());
        }
    }

    /** {@code {"events":[{"eventId","time","event","fields"}]}} from one audit record as written. */
    static byte[] body(ObjectNode record) {
        ObjectNode event = JSON.createObjectNode();
        event.put("eventId", record.path("seq").asLong() + "-" + record.path("hash").asText().substring(0, 16));
        event.put("time", record.path("time").asText());
        event.put("event", record.path("event").asText());
        ObjectNode fields = record.path("fields").isObject() ? (ObjectNode) record.get("fields") : JSON.createObjectNode();
        if (fields.toString().length() > MAX_FIELDS_CHARS) {
            // The server takes at most 4096 characters of fields; the full record stays in the station's audit.jsonl.
            fields = JSON.createObjectNode().put("omitted", "fields longer than " + MAX_FIELDS_CHARS
                    + " characters; see the station's audit.jsonl, seq " + record.path("seq").asLong());
        }
        event.set("fields", fields);
        ObjectNode batch = JSON.createObjectNode();
        ArrayNode events = batch.putArray("events");
        events.add(event);
        try {
            return JSON.writeValueAsBytes(batch);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write an audit event as JSON", e);
        }
    }
}
