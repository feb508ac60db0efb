package org.stationtrust.agent.internal.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stationtrust.agent.internal.atrest.AesGcmCipher;
import org.stationtrust.agent.internal.server.HttpDelivery;
import org.stationtrust.agent.internal.server.RequestSigning;
import org.stationtrust.agent.testing.DroppingReceiver;

class OutboundQueueTest {
    @TempDir Path dir;
    private DroppingReceiver receiver;
    private SecretKey key;
    private final Backoff fastBackoff = new Backoff(Duration.ofMillis(10), Duration.ofMillis(40));

    @BeforeEach
    void start() throws Exception {
        receiver = new DroppingReceiver();
        KeyGenerator generator = KeyGenerator.getInstance("AES");
        generator.init(256);
        key = generator.generateKey();
    }

    @AfterEach
    void stop() throws Exception {
        receiver.close();
    }

    private OutboundQueue openQueue(SecretKey dataKey) throws Exception {
        return OutboundQueue.open(dir.resolve("queue.db"), new AesGcmCipher(dataKey), Clock.systemUTC(), fastBackoff);
    }

    private HttpDelivery delivery() {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
        return new HttpDelivery(http, URI.create(receiver.baseUrl()), RequestSigning.NONE, Duration.ofSeconds(2));
    }

    private Courier courier(OutboundQueue queue) {
        return new Courier(queue, delivery());
    }

    private static void drainUntilEmpty(OutboundQueue queue, Courier courier) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (queue.counts().waiting() > 0 && System.nanoTime() < deadline) {
            courier.drainDue();
            Thread.sleep(15);
        }
        assertEquals(0, queue.counts().waiting(), "queue should be drained");
    }

    private static byte[] body(int i) {
        return ("{\"packet\":" + i + "}").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void deliversEveryMessageExactlyOnceWhenRepliesAreLost() throws Exception {
        List<String> keys = new ArrayList<>();
        try (OutboundQueue queue = openQueue(key)) {
            for (int i = 0; i < 5; i++) keys.add(queue.enqueue("packet", "/api/v1/packets", body(i)));
            receiver.dropNextReplies(3);
            drainUntilEmpty(queue, courier(queue));
        }
        assertEquals(Set.copyOf(keys), receiver.accepted().keySet(), "every message arrived");
        assertEquals(8, receiver.received().size(), "the three lost replies caused three resends");
        for (int i = 0; i < 5; i++) assertEquals(new String(body(i), StandardCharsets.UTF_8), receiver.accepted().get(keys.get(i)));
        Set<String> resentKeys = new HashSet<>();
        for (DroppingReceiver.Received r : receiver.received()) {
            if (!resentKeys.add(r.idempotencyKey())) {
                assertTrue(keys.contains(r.idempotencyKey()), "a resend carries the original idempotency key");
            }
        }
    }

    @Test
    void keepsMessagesAcrossARestartAndResendsACrashedDeliveryWithTheSameKey() throws Exception {
        List<String> keys = new ArrayList<>();
        try (OutboundQueue queue = openQueue(key)) {
            for (int i = 0; i < 3; i++) keys.add(queue.enqueue("packet", "/api/v1/packets", body(i)));
            receiver.answerWith(503);
            courier(queue).drainDue();
            assertEquals(3, queue.counts().waiting(), "server down: nothing lost");
        }
        receiver.answerWith(200);
        try (OutboundQueue queue = openQueue(key)) {
            Thread.sleep(50);
            // The server stores the first message, then the agent dies before recording the acknowledgement.
            OutboundItem first = queue.nextDue().orElseThrow();
            assertEquals(keys.get(0), first.idempotencyKey());
            assertTrue(delivery().deliver(first) instanceof Delivery.Delivered);
        }
        try (OutboundQueue queue = openQueue(key)) {
            drainUntilEmpty(queue, courier(queue));
        }
        assertEquals(Set.copyOf(keys), receiver.accepted().keySet());
        long sendsOfFirst = receiver.received().stream().filter(r -> r.idempotencyKey().equals(keys.get(0))).count();
        assertTrue(sendsOfFirst >= 3, "503, delivered before the crash, resent after the restart: the same key each time, saw " + sendsOfFirst);
    }

    @Test
    void whileTheServerIsDownEachPassCostsAtMostOneSignatureAndDeliveryKeepsTheOrderWhenItReturns() throws Exception {
        AtomicInteger signatures = new AtomicInteger();
        RequestSigning counting = (method, path, body) -> {
            signatures.incrementAndGet();
            return Map.of("X-Station-Signature", "counted");
        };
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
        List<String> keys = new ArrayList<>();
        try (OutboundQueue queue = openQueue(key)) {
            for (int i = 0; i < 10; i++) keys.add(queue.enqueue("packet", "/api/v1/packets", body(i)));
            receiver.answerWith(503);
            Courier toDownServer = new Courier(queue, new HttpDelivery(http, URI.create(receiver.baseUrl()), counting, Duration.ofSeconds(2)));
            for (int pass = 1; pass <= 4; pass++) {
                Thread.sleep(60); // past the backoff (at most 40 ms)
                toDownServer.drainDue();
                assertEquals(pass, signatures.get(), "one signature per pass while the server answers 503");
                keys.add(queue.enqueue("packet", "/api/v1/packets", body(100 + pass)));
            }
            int port;
            try (java.net.ServerSocket closed = new java.net.ServerSocket(0)) {
                port = closed.getLocalPort();
            }
            Courier toNoServer = new Courier(queue, new HttpDelivery(http, URI.create("http://127.0.0.1:" + port), counting, Duration.ofSeconds(2)));
            for (int pass = 1; pass <= 3; pass++) {
                Thread.sleep(60);
                toNoServer.drainDue();
                assertEquals(4 + pass, signatures.get(), "one signature per pass while the server is unreachable");
            }
            assertTrue(receiver.received().stream().allMatch(r -> r.idempotencyKey().equals(keys.get(0))),
                    "only the oldest message was tried while the server was down");
            int before = receiver.received().size();
            receiver.answerWith(200);
            Thread.sleep(60);
            drainUntilEmpty(queue, courier(queue));
            List<String> order = receiver.received().subList(before, receiver.received().size()).stream()
                    .map(DroppingReceiver.Received::idempotencyKey).toList();
            assertEquals(keys, order, "delivered once each, oldest first, when the server returned");
        }
    }

    @Test
    void parksAMessageTheServerRefusesInsteadOfDroppingIt() throws Exception {
        try (OutboundQueue queue = openQueue(key)) {
            queue.enqueue("packet", "/api/v1/packets", body(1));
            receiver.answerWith(400);
            courier(queue).drainDue();
            assertEquals(new OutboundQueue.QueueCounts(0, 1), queue.counts());
        }
    }

    @Test
    void storesPayloadsEncryptedAndAnotherDataKeyCannotReadThem() throws Exception {
        try (OutboundQueue queue = openQueue(key)) {
            queue.enqueue("packet", "/api/v1/packets", "{\"bioValue\":\"SECRET-TEMPLATE\"}".getBytes(StandardCharsets.UTF_8));
        }
        for (Path file : Files.list(dir).toList()) {
            assertFalse(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).contains("SECRET-TEMPLATE"), file.toString());
        }
        KeyGenerator generator = KeyGenerator.getInstance("AES");
        generator.init(256);
        try (OutboundQueue queue = openQueue(generator.generateKey())) {
            assertTrue(queue.nextDue().isEmpty(), "a foreign data key reads nothing");
            assertEquals(new OutboundQueue.QueueCounts(0, 1), queue.counts(), "the unreadable message is parked, not deleted");
        }
    }

    @Test
    void parksThousandsOfUnreadableRowsInOneLookWithoutGrowingTheStack() throws Exception {
        try (OutboundQueue queue = openQueue(key)) {
            queue.enqueue("packet", "/api/v1/packets", body(0));
        }
        // 5000 more rows sealed with the same (soon foreign) key, each with its own idempotency key, in one statement
        try (java.sql.Connection db = java.sql.DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("queue.db"));
             java.sql.Statement st = db.createStatement()) {
            st.executeUpdate("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000)"
                    + " INSERT INTO outbox(idempotency_key, kind, path, sealed, created_at, next_attempt_at)"
                    + " SELECT 'copy-' || i, kind, path, sealed, created_at, next_attempt_at FROM outbox, n");
        }
        KeyGenerator generator = KeyGenerator.getInstance("AES");
        generator.init(256);
        try (OutboundQueue queue = openQueue(generator.generateKey())) {
            java.util.concurrent.atomic.AtomicReference<Object> result = new java.util.concurrent.atomic.AtomicReference<>();
            // a small stack: recursion over the rows would overflow it long before 5000
            Thread look = new Thread(null, () -> {
                try {
                    result.set(queue.nextDue());
                } catch (Throwable t) {
                    result.set(t);
                }
            }, "small-stack", 256 * 1024);
            look.start();
            look.join(120_000);
            assertEquals(java.util.Optional.empty(), result.get(), "nothing readable is due");
            assertEquals(new OutboundQueue.QueueCounts(0, 5001), queue.counts(), "every unreadable row is parked, none lost");
        }
    }

    @Test
    void aMessageQueuedBeforeTheClockWasSteppedBackAnHourIsDueAtOnce() throws Exception {
        Clock anHourAhead = Clock.offset(Clock.systemUTC(), Duration.ofHours(1));
        String key;
        try (OutboundQueue queue = OutboundQueue.open(dir.resolve("queue.db"), new AesGcmCipher(this.key), anHourAhead, fastBackoff)) {
            key = queue.enqueue("packet", "/api/v1/packets", body(1));
        }
        try (OutboundQueue queue = openQueue(this.key)) {
            assertEquals(key, queue.nextDue().orElseThrow().idempotencyKey(), "due now, not in an hour");
            assertEquals(java.util.Optional.of(0L), queue.millisUntilNextDue());
        }
    }

    @Test
    void backoffGrowsExponentiallyUpToTheCeiling() {
        Backoff backoff = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(5));
        assertEquals(Duration.ofMillis(500), backoff.ceiling(1));
        assertEquals(Duration.ofMillis(1000), backoff.ceiling(2));
        assertEquals(Duration.ofMillis(4000), backoff.ceiling(4));
        assertEquals(Duration.ofSeconds(5), backoff.ceiling(40));
        for (int i = 0; i < 100; i++) {
            long wait = backoff.after(3).toMillis();
            assertTrue(wait >= 1000 && wait <= 2000, "jittered wait within [ceiling/2, ceiling], saw " + wait);
        }
    }
}
