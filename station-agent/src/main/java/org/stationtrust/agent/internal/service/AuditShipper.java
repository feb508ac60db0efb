package org.stationtrust.agent.internal.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.stationtrust.agent.internal.audit.AuditLog;
import org.stationtrust.agent.internal.queue.Backoff;
import org.stationtrust.agent.internal.queue.Delivery;
import org.stationtrust.agent.internal.queue.OutboundItem;
import org.stationtrust.agent.internal.queue.Shipment;
import org.stationtrust.agent.internal.service.AuditCursorStore.AuditCursor;
import org.stationtrust.logging.JsonLog;
import org.stationtrust.protocol.StationAuditBatch;
import org.stationtrust.protocol.StationAuditEvent;
import org.stationtrust.protocol.StationRoute;
import org.stationtrust.protocol.WireJson;

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
    static final int MAX_EVENTS = StationAuditBatch.MAX_EVENTS;
    /** Below the server's default request body limit (64 KiB). */
    static final int MAX_BODY_BYTES = 60_000;
    private static final int RECENT = 1000;
    /**
     * How long the first waiting record waits for others to share its request: audit events are not urgent, and a
     * batch costs one TPM signature and one HTTP request however many events it holds.
     */
    static final long LINGER_MILLIS = 1000;
    private static final AuditCursor START = new AuditCursor(0, 0, AuditLog.GENESIS);
    private static final JsonLog LOG = new JsonLog(AuditShipper.class);
    private static final ObjectMapper JSON = WireJson.strict();

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
            if (b.events() == 0) {
                // the first record cannot be an event the protocol accepts (StationAuditEvent): sending it would only
                // earn a refusal, so it is parked here, by id, with the reason
                AuditLog.Appended bad = batch.get(0);
                store.park(eventId(bad.record()), b.invalid());
                LOG.warn("audit.parked", "eventId", eventId(bad.record()), "reason", b.invalid());
                acknowledged(bad);
                continue;
            }
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
                LOG.info("audit.delivered", "events", n, "lastSeq", last.record().path("seq").asLong());
            } else if (outcome instanceof Delivery.RetryLater retry) {
                retryLater(retry.reason());
                break;
            } else if (n > 1) {
                // 409 (an event known with other content), 413 or another refusal: the server stored nothing of the
                // batch. Halve it until the refused event is alone; the others go through.
                cap = Math.max(1, n / 2);
                LOG.warn("audit.batch_split", "events", n, "nextSize", cap, "reason", reason(outcome));
            } else if (outcome instanceof Delivery.Conflict conflict) {
                LOG.warn("audit.conflict", "eventId", eventId(last.record()), "reason", conflict.reason());
                acknowledged(last);
                delivered++;
            } else {
                store.park(eventId(last.record()), reason(outcome));
                LOG.warn("audit.parked", "eventId", eventId(last.record()), "reason", reason(outcome));
                acknowledged(last);
            }
        }
        return delivered;
    }

    private void retryLater(String reason) {
        failures++;
        nextAttemptAt = clock.millis() + backoff.after(failures).toMillis();
        LOG.info("audit.retry", "attempt", failures, "reason", reason);
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
        LOG.warn("audit.cursor_reset", "seq", at.seq(),
                "reason", why + "; sending the log from its start (the server keeps each event once)");
        cursor = START;
        List<AuditLog.Appended> read = log.readFrom(0, cap);
        return read.isEmpty() || !follows(read.get(0), START) ? List.of() : read;
    }

    private static boolean follows(AuditLog.Appended a, AuditCursor at) {
        return a.record().path("seq").asLong() == at.seq() + 1 && a.record().path("prev").asText().equals(at.hash());
    }

    /** A request body of {@code events} records; none when the first record is no valid event ({@code invalid} says why). */
    private record Batch(String key, byte[] body, int events, String invalid) {
    }

    /**
     * A {@link StationAuditBatch} of the records' events, as many as fit in {@value #MAX_BODY_BYTES} bytes, cut before
     * the first record that is no valid {@link StationAuditEvent} (that one is refused alone when it comes first).
     */
    private static Batch encode(List<AuditLog.Appended> records) {
        List<StationAuditEvent> events = new ArrayList<>();
        int size = "{\"events\":[]}".length();
        for (AuditLog.Appended a : records) {
            StationAuditEvent event;
            try {
                event = event(a.record());
            } catch (IllegalArgumentException e) {
                if (events.isEmpty()) return new Batch(null, null, 0, "not a valid audit event: " + e.getMessage());
                break;
            }
            int length = bytes(event).length;
            if (!events.isEmpty() && size + length + 1 > MAX_BODY_BYTES) break;
            size += length + (events.isEmpty() ? 0 : 1);
            events.add(event);
        }
        String key = "audit-" + events.get(0).eventId() + "-to-" + events.get(events.size() - 1).eventId();
        return new Batch(key, bytes(new StationAuditBatch(events)), events.size(), null);
    }

    /** One event from one audit record as written; fields too long for the server are replaced by a pointer. */
    static StationAuditEvent event(ObjectNode record) {
        JsonNode fields = record.path("fields");
        ObjectNode sent = null;
        if (fields.isObject()) {
            sent = StationAuditEvent.fitsAsFields(fields) ? (ObjectNode) fields : JSON.createObjectNode().put("omitted",
                    "fields longer than " + StationAuditEvent.MAX_FIELDS_CHARS + " characters; see the station's "
                    + "audit.jsonl, seq " + record.path("seq").asLong());
        }
        return new StationAuditEvent(eventId(record), record.path("time").asText(), record.path("event").asText(), sent);
    }

    private static byte[] bytes(Object wire) {
        try {
            return JSON.writeValueAsBytes(wire);
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
