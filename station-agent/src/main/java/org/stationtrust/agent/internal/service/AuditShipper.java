package org.stationtrust.agent.internal.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stationtrust.agent.internal.audit.AuditLog;
import org.stationtrust.agent.internal.queue.Backoff;
import org.stationtrust.agent.internal.queue.Delivery;
import org.stationtrust.agent.internal.queue.OutboundItem;
import org.stationtrust.agent.internal.queue.Shipment;
import org.stationtrust.agent.internal.service.AuditCursorStore.AuditCursor;
import org.stationtrust.protocol.StationRoute;

/**
 * Sends the station's audit log to the server ({@code POST /api/v1/stations/audit-events}) in batches of up to
 * {@value #MAX_EVENTS} events (the server's limit) and {@value #MAX_BODY_BYTES} bytes, one signed request per batch.
 * The log file is the durable outbox: nothing is copied into the queue when a record is appended, so an append costs
 * one sync. The shipper's own {@link AuditCursorStore} says how far the server acknowledged; each event keeps its id
 * ({@code <seq>-<hash prefix>}), so a batch resent after a lost reply or a crash is recognised by the server and
 * stored once. A batch the server refuses (409, 413, 4xx) is split until the refused event is alone; that event is
 * parked by id, never silently dropped.
 */
final class AuditShipper implements Shipment, Consumer<AuditLog.Appended>, AutoCloseable {
    static final String PATH = StationRoute.AUDIT_EVENTS.path();
    /** StationAuditBatch.MAX_EVENTS on the server. */
    static final int MAX_EVENTS = 100;
    /** Below the server's default request body limit (64 KiB). */
    static final int MAX_BODY_BYTES = 60_000;
    static final int MAX_FIELDS_CHARS = 4000;
    private static final int RECENT = 1000;
    /**
     * How long the first waiting record waits for others to share its request: audit events are not urgent, and a
     * batch costs one TPM signature and one HTTP request however many events it holds.
     */
    static final long LINGER_MILLIS = 1000;
    private static final AuditCursor START = new AuditCursor(0, 0, AuditLog.GENESIS);
    private static final Logger LOG = LoggerFactory.getLogger(AuditShipper.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final AuditLog log;
    private final AuditCursorStore store;
    private final Runnable wakeCourier;
    private final Delivery delivery;
    private final Backoff backoff;
    private final Clock clock;
    /** Records appended while this agent runs, parsed already: most batches need no read of the file. */
    private final ArrayDeque<AuditLog.Appended> recent = new ArrayDeque<>();
    private volatile AuditCursor cursor;
    private int cap = MAX_EVENTS;
    private int failures;
    private long nextAttemptAt;
    /** Read by status while a delivery may hold this shipper's lock (up to the server timeout): not guarded by it. */
    private final java.util.concurrent.atomic.AtomicLong requests = new java.util.concurrent.atomic.AtomicLong();
    /** When records were first seen waiting since the last delivery (0: none seen). */
    private long waitingSince;

    /** {@code store} is the shipper's own from now on (closed with it); {@code wakeCourier} runs after each append. */
    AuditShipper(AuditLog log, AuditCursorStore store, Runnable wakeCourier, Delivery delivery, Backoff backoff, Clock clock) {
        this.log = log;
        this.store = store;
        this.wakeCourier = wakeCourier;
        this.delivery = delivery;
        this.backoff = backoff;
        this.clock = clock;
        this.cursor = store.cursor().orElse(START);
    }

    @Override
    public void accept(AuditLog.Appended appended) {
        synchronized (recent) {
            recent.addLast(appended);
            if (recent.size() > RECENT) recent.removeFirst();
        }
        wakeCourier.run();
    }

    /** Audit events the server refused for good, parked by id. */
    long parked() {
        return store.parked();
    }

    @Override
    public void close() throws java.sql.SQLException {
        store.close();
    }

    /** Audit records not yet acknowledged by the server. */
    long waiting() {
        return Math.max(0, log.lastSeq() - cursor.seq());
    }

    /** Signed requests made so far (one per batch, resends included). */
    long requests() {
        return requests.get();
    }

    @Override
    public Optional<Long> millisUntilDue() {
        if (waiting() == 0) return Optional.empty();
        synchronized (this) {
            return Optional.of(Math.max(0, dueAt() - clock.millis()));
        }
    }

    /** After a failure, the backoff; else when the first waiting record has lingered, or now when a batch is full. */
    private long dueAt() {
        long waiting = waiting();
        if (waiting == 0) return Long.MAX_VALUE;
        if (waitingSince == 0) waitingSince = clock.millis();
        long lingered = waiting >= MAX_EVENTS ? 0 : waitingSince + LINGER_MILLIS;
        return Math.max(nextAttemptAt, lingered);
    }

    @Override
    public synchronized int shipDue() {
        int delivered = 0;
        while (clock.millis() >= dueAt()) {
            List<AuditLog.Appended> batch;
            try {
                batch = nextBatch();
            } catch (IOException e) {
                retryLater("cannot read the audit log: " + e.getMessage());
                break;
            }
            if (batch.isEmpty()) break;
            Batch b = encode(batch);
            Delivery.Outcome outcome;
            try {
                requests.incrementAndGet();
                outcome = delivery.deliver(new OutboundItem(b.key(), "audit", PATH, b.body(), failures));
            } catch (RuntimeException e) {
                outcome = new Delivery.RetryLater(e.getClass().getSimpleName() + ": " + e.getMessage());
            }
            int n = b.events();
            AuditLog.Appended last = batch.get(n - 1);
            if (outcome instanceof Delivery.Delivered) {
                acknowledged(last);
                delivered += n;
                cap = Math.min(MAX_EVENTS, cap * 2);
                LOG.info("event=audit.delivered events={} lastSeq={}", n, last.record().path("seq").asLong());
            } else if (outcome instanceof Delivery.RetryLater retry) {
                retryLater(retry.reason());
                break;
            } else if (n > 1) {
                // 409 (an event known with other content), 413 or another refusal: the server stored nothing of the
                // batch. Halve it until the refused event is alone; the others go through.
                cap = Math.max(1, n / 2);
                LOG.warn("event=audit.batch_split events={} nextSize={} reason=\"{}\"", n, cap, reason(outcome));
            } else if (outcome instanceof Delivery.Conflict conflict) {
                LOG.warn("event=audit.conflict eventId={} reason=\"{}\"", eventId(last.record()), conflict.reason());
                acknowledged(last);
                delivered++;
            } else {
                store.park(eventId(last.record()), reason(outcome));
                LOG.warn("event=audit.parked eventId={} reason=\"{}\"", eventId(last.record()), reason(outcome));
                acknowledged(last);
            }
        }
        return delivered;
    }

    private void retryLater(String reason) {
        failures++;
        nextAttemptAt = clock.millis() + backoff.after(failures).toMillis();
        LOG.info("event=audit.retry attempt={} reason=\"{}\"", failures, reason);
    }

    private void acknowledged(AuditLog.Appended last) {
        AuditCursor next = new AuditCursor(last.record().path("seq").asLong(), last.endOffset(), last.record().path("hash").asText());
        store.delivered(next);
        cursor = next;
        failures = 0;
        nextAttemptAt = 0;
        waitingSince = 0;
    }

    /** The records after the cursor, at most {@code cap}; from memory when it holds them, else from the file. */
    private List<AuditLog.Appended> nextBatch() throws IOException {
        AuditCursor at = cursor;
        if (log.lastSeq() <= at.seq()) {
            if (log.lastSeq() < at.seq()) return restart(at, "the log ends before the delivered position");
            return List.of();
        }
        List<AuditLog.Appended> out = new ArrayList<>();
        synchronized (recent) {
            while (!recent.isEmpty() && recent.peekFirst().record().path("seq").asLong() <= at.seq()) recent.removeFirst();
            if (!recent.isEmpty() && follows(recent.peekFirst(), at)) {
                for (AuditLog.Appended a : recent) {
                    if (out.size() >= cap) break;
                    out.add(a);
                }
                return out;
            }
        }
        List<AuditLog.Appended> read = log.readFrom(at.endOffset(), cap);
        if (read.isEmpty() || !follows(read.get(0), at)) return restart(at, "the log at the delivered position is another record");
        return read;
    }

    /** The cursor does not belong to this log (a new log after a state reset): deliver it from the start. */
    private List<AuditLog.Appended> restart(AuditCursor at, String why) throws IOException {
        if (at.equals(START)) return List.of();
        LOG.warn("event=audit.cursor_reset seq={} reason=\"{}; sending the log from its start (the server keeps each event once)\"",
                at.seq(), why);
        cursor = START;
        List<AuditLog.Appended> read = log.readFrom(0, cap);
        return read.isEmpty() || !follows(read.get(0), START) ? List.of() : read;
    }

    private static boolean follows(AuditLog.Appended a, AuditCursor at) {
        return a.record().path("seq").asLong() == at.seq() + 1 && a.record().path("prev").asText().equals(at.hash());
    }

    private record Batch(String key, byte[] body, int events) {
    }

    /** {@code {"events":[{"eventId","time","event","fields"}, ...]}}, cut before {@value #MAX_BODY_BYTES} bytes. */
    private static Batch encode(List<AuditLog.Appended> records) {
        ByteArrayOutputStream body = new ByteArrayOutputStream(8192);
        body.writeBytes("{\"events\":[".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        int n = 0;
        for (AuditLog.Appended a : records) {
            byte[] event = event(a.record());
            if (n > 0 && body.size() + event.length + 3 > MAX_BODY_BYTES) break;
            if (n > 0) body.write(',');
            body.writeBytes(event);
            n++;
        }
        body.writeBytes("]}".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        String key = "audit-" + eventId(records.get(0).record()) + "-to-" + eventId(records.get(n - 1).record());
        return new Batch(key, body.toByteArray(), n);
    }

    /** One event from one audit record as written. */
    static byte[] event(ObjectNode record) {
        ObjectNode event = JSON.createObjectNode();
        event.put("eventId", eventId(record));
        event.put("time", record.path("time").asText());
        event.put("event", record.path("event").asText());
        ObjectNode fields = record.path("fields").isObject() ? (ObjectNode) record.get("fields") : JSON.createObjectNode();
        if (fields.toString().length() > MAX_FIELDS_CHARS) {
            // The server takes at most 4096 characters of fields; the full record stays in the station's audit.jsonl.
            fields = JSON.createObjectNode().put("omitted", "fields longer than " + MAX_FIELDS_CHARS
                    + " characters; see the station's audit.jsonl, seq " + record.path("seq").asLong());
        }
        event.set("fields", fields);
        try {
            return JSON.writeValueAsBytes(event);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write an audit event as JSON", e);
        }
    }

    static String eventId(ObjectNode record) {
        return record.path("seq").asLong() + "-" + record.path("hash").asText().substring(0, 16);
    }

    private static String reason(Delivery.Outcome outcome) {
        if (outcome instanceof Delivery.Refused r) return r.reason();
        if (outcome instanceof Delivery.Conflict c) return c.reason();
        if (outcome instanceof Delivery.TooLarge t) return t.reason();
        return outcome.toString();
    }
}
