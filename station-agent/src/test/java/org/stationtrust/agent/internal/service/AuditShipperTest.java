package org.stationtrust.agent.internal.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.crypto.KeyGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stationtrust.agent.internal.atrest.AesGcmCipher;
import org.stationtrust.agent.internal.audit.AuditLog;
import org.stationtrust.agent.internal.queue.Backoff;
import org.stationtrust.agent.internal.queue.OutboundQueue;
import org.stationtrust.agent.internal.server.HttpDelivery;
import org.stationtrust.agent.internal.server.RequestSigning;
import org.stationtrust.agent.testing.DroppingReceiver;
import org.stationtrust.testsupport.MovableClock;

/**
 * The station's audit log reaches the server in batches (real HTTP receiver, real SQLite queue, real log file): many
 * events per signed request, each event once, also when a reply is lost and the agent restarts before the resend.
 */
class AuditShipperTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int EVENTS = 250;
    @TempDir Path dir;
    private DroppingReceiver receiver;
    private AesGcmCipher cipher;
    /** Moved by the test: the batch's linger and the retry backoff pass without sleeping. */
    private final MovableClock clock = MovableClock.frozenAt(Instant.parse("2026-11-25T09:00:00Z"));
    private final Backoff backoff = new Backoff(Duration.ofMillis(10), Duration.ofMillis(40));

    @BeforeEach
    void start() throws Exception {
        receiver = new DroppingReceiver();
        KeyGenerator generator = KeyGenerator.getInstance("AES");
        generator.init(256);
        cipher = new AesGcmCipher(generator.generateKey());
    }

    @AfterEach
    void stop() throws Exception {
        receiver.close();
    }

    private AuditShipper shipper(AuditLog log, OutboundQueue queue) throws java.io.IOException {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
        HttpDelivery delivery = new HttpDelivery(http, URI.create(receiver.baseUrl()), RequestSigning.NONE, Duration.ofSeconds(5));
        return new AuditShipper(log, AuditCursorStore.open(dir.resolve("queue.db"), clock), queue::wake, delivery, backoff, clock);
    }

    private void drain(AuditShipper shipper) {
        for (int i = 0; i < 100 && shipper.waiting() > 0; i++) {
            shipper.shipDue();
            clock.advance(Duration.ofSeconds(2));
        }
        assertEquals(0, shipper.waiting(), "every audit record acknowledged");
    }

    /** Event ids of every body the receiver accepted (one body per idempotency key, as a deduplicating server keeps). */
    private List<String> acceptedEventIds() throws Exception {
        List<String> ids = new ArrayList<>();
        for (String body : receiver.accepted().values()) {
            for (JsonNode e : JSON.readTree(body).path("events")) ids.add(e.path("eventId").asText());
        }
        return ids;
    }

    private Set<String> eventIdsOfTheLog() throws Exception {
        Set<String> ids = new HashSet<>();
        for (String line : Files.readAllLines(dir.resolve("audit.jsonl"))) {
            JsonNode r = JSON.readTree(line);
            ids.add(r.path("seq").asLong() + "-" + r.path("hash").asText().substring(0, 16));
        }
        return ids;
    }

    @Test
    void deliversManyEventsPerSignedRequestEachOnceAcrossALostReplyAndARestart() throws Exception {
        try (AuditLog log = AuditLog.open(dir, clock)) {
            for (int i = 0; i < EVENTS; i++) log.append("test.event", Map.of("n", i));
            OutboundQueue queue = OutboundQueue.open(dir.resolve("queue.db"), cipher, clock, backoff);
            AuditShipper first = shipper(log, queue);
            receiver.dropNextReplies(1);
            // A full batch waits: it goes at once (no linger); the server stores it, but its reply is lost.
            assertEquals(0, first.shipDue(), "the server stored the first batch but its reply was lost: not acknowledged");
            assertEquals(1, receiver.received().size(), "the failed attempt waits for its backoff");
            assertEquals(EVENTS, first.waiting());
            queue.close();

            // The agent restarts before the resend: a new shipper over the same log and queue database.
            queue = OutboundQueue.open(dir.resolve("queue.db"), cipher, clock, backoff);
            AuditShipper second = shipper(log, queue);
            drain(second);
            for (int i = 0; i < 20; i++) log.append("test.later", Map.of("n", i));
            drain(second);
            queue.close();
        }
        List<String> delivered = acceptedEventIds();
        assertEquals(EVENTS + 20, delivered.size(), "no event stored twice: " + delivered.size());
        assertEquals(eventIdsOfTheLog(), new HashSet<>(delivered), "every record of the log, none lost");
        List<DroppingReceiver.Received> requests = receiver.received();
        assertTrue(requests.size() <= 6, "batches of up to 100: 270 events in at most 6 signed requests, saw " + requests.size());
        assertEquals(requests.get(0).idempotencyKey(), requests.get(1).idempotencyKey(),
                "the batch whose reply was lost is resent after the restart as the same batch");
        for (DroppingReceiver.Received r : requests) {
            int events = JSON.readTree(r.body()).path("events").size();
            assertTrue(events >= 1 && events <= 100, "the server's limit is 100 events per request, saw " + events);
        }
    }

    @Test
    void sendsRecordsAppendedWhileTheAgentRunsOneLingeredBatchAtATime() throws Exception {
        try (AuditLog log = AuditLog.open(dir, clock);
             OutboundQueue queue = OutboundQueue.open(dir.resolve("queue.db"), cipher, clock, backoff)) {
            AuditShipper shipper = shipper(log, queue);
            log.onAppend(shipper);
            log.append("test.first", Map.of());
            drain(shipper);
            log.append("test.second", Map.of("k", "v"));
            drain(shipper);
            assertEquals(2, shipper.requests(), "one request per lingered batch");
            assertEquals(eventIdsOfTheLog(), new HashSet<>(acceptedEventIds()));
            assertEquals(2, acceptedEventIds().size());
        }
    }

    @Test
    void parksOnlyTheEventsTheServerRefusesForGoodAndKeepsTheCount() throws Exception {
        try (AuditLog log = AuditLog.open(dir, clock);
             OutboundQueue queue = OutboundQueue.open(dir.resolve("queue.db"), cipher, clock, backoff)) {
            for (int i = 0; i < 3; i++) log.append("test.event", Map.of("n", i));
            receiver.answerWith(400);
            AuditShipper shipper = shipper(log, queue);
            drain(shipper);
            assertEquals(3, shipper.parked(), "each refused event parked by id, none dropped silently");
            assertEquals(new OutboundQueue.QueueCounts(0, 0), queue.counts(), "the shipper's bookkeeping is its own, not the queue's");
            // 3 events: the batch of 3, then halves until single events are refused: 3 -> 1 + 2 -> 1 + 1.
            assertTrue(receiver.received().size() >= 4, "the batch was split before events were parked: " + receiver.received().size());
        }
    }

    @Test
    void sendsEveryBatchAsTheProtocolsRecordAndParksARecordThatIsNoValidEventWithoutSendingIt() throws Exception {
        try (AuditLog log = AuditLog.open(dir, clock);
             OutboundQueue queue = OutboundQueue.open(dir.resolve("queue.db"), cipher, clock, backoff)) {
            log.append("test.before", Map.of("n", 1));
            log.append("an event name with spaces", Map.of("n", 2));
            Map<String, Object> many = new java.util.TreeMap<>(); // short values (long ones are redacted), many keys
            for (int i = 0; i < 400; i++) many.put("field" + i, "value" + i);
            log.append("test.after", many);
            AuditShipper shipper = shipper(log, queue);
            drain(shipper);
            assertEquals(1, shipper.parked(), "the invalid record is parked by id");
            List<String> events = new ArrayList<>();
            for (DroppingReceiver.Received r : receiver.received()) {
                org.stationtrust.protocol.StationAuditBatch batch = org.stationtrust.protocol.WireJson.strict()
                        .readValue(r.body(), org.stationtrust.protocol.StationAuditBatch.class);
                batch.events().forEach(e -> events.add(e.event()));
                for (org.stationtrust.protocol.StationAuditEvent e : batch.events()) {
                    if (e.event().equals("test.after")) {
                        assertTrue(e.fields().path("omitted").asText().contains("audit.jsonl, seq 3"), e.toString());
                    }
                }
            }
            assertEquals(List.of("test.before", "test.after"), events, "the server's strict reader takes every body, "
                    + "and the invalid record never left the station");
        }
    }
}
