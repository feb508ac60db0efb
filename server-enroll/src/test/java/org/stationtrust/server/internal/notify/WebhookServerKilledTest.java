package org.stationtrust.server.internal.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stationtrust.server.ServerConfig;
import org.stationtrust.server.internal.audit.AuditLog;
import org.stationtrust.server.internal.auth.Secrets;
import org.stationtrust.server.internal.store.Database;
import org.stationtrust.server.internal.store.Migrations;
import org.stationtrust.server.internal.store.WebhookStore;
import org.stationtrust.server.testing.TestDatabases;
import org.stationtrust.server.testing.WebhookReceiver;
import org.stationtrust.testsupport.FreePorts;

/**
 * The server as its own process ({@code serve}), killed with SIGKILL while the receiver holds a delivery it has
 * not answered: a new process sends it again once the lease ran out, and every event queued reaches the receiver,
 * the held one twice (the documented at-least-once case) and processed once thanks to its idempotency key.
 */
class WebhookServerKilledTest {
    private static final String SECRET = WebhookDeliveryTest.SECRET;
    private static final int EVENTS = 6;

    @TempDir
    Path dir;
    private Process server;
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stop() throws InterruptedException {
        if (server != null) server.destroyForcibly().waitFor();
    }

    @Test
    void aServerKilledMidDeliveryLosesNothingAndTheResendIsHarmless() throws Exception {
        String url = TestDatabases.sqliteUrl(dir);
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (WebhookReceiver receiver = WebhookReceiver.start(SECRET)) {
            List<String> queued = new ArrayList<>();
            java.util.concurrent.atomic.AtomicReference<String> held0 = new java.util.concurrent.atomic.AtomicReference<>();
            try (Database db = Database.open(url, null, null)) {
                new Migrations(db).apply();
                WebhookStore store = new WebhookStore(db);
                String hook = Secrets.newId();
                store.create(new WebhookStore.Webhook(hook, receiver.url(), "machine.revoked", SECRET, "test",
                        System.currentTimeMillis(), null));
                Webhooks webhooks = new Webhooks(store, new AuditLog(db), ServerConfig.WebhookPolicy.DEFAULT);
                for (int i = 0; i < EVENTS; i++) {
                    int machine = i;
                    db.inTransaction(c -> {
                        webhooks.emit(c, FleetEvent.of(FleetEventType.MACHINE_REVOKED, "m" + machine, "station",
                                "kill test"));
                        return null;
                    });
                }
                store.recent(100).forEach(d -> queued.add(d.id()));
                assertEquals(EVENTS, queued.size());
            }
            // The first request the receiver gets is held unanswered until the server has been killed.
            receiver.behave((id, n) -> {
                if (held0.compareAndSet(null, id)) {
                    held.countDown();
                    release.await(60, TimeUnit.SECONDS);
                }
                return WebhookReceiver.Answer.OK;
            });
            start(url);
            assertTrue(held.await(30, TimeUnit.SECONDS), "the server sends the held delivery");
            server.destroyForcibly().waitFor(); // SIGKILL: no shutdown hook, the lease stays in the database
            long killedAtMillis = System.currentTimeMillis();
            release.countDown();
            long killedAt = System.nanoTime();
            start(url);
            WebhookDeliveryTest.await("every delivery recorded", () -> allDelivered(url, queued.size()));
            String heldId = held0.get();
            long resentAfterMillis = (System.nanoTime() - killedAt) / 1_000_000;

            Set<String> sent = new HashSet<>();
            receiver.received().forEach(r -> sent.add(r.deliveryId()));
            assertEquals(Set.copyOf(queued), sent, "nothing lost");
            assertEquals(Set.copyOf(queued), receiver.processed(), "each processed once");
            long heldCount = receiver.received().stream().filter(r -> r.deliveryId().equals(heldId)).count();
            assertEquals(2, heldCount, "the held delivery arrives again after the kill (at least once)");
            // Deliveries the killed instance had sent but not yet recorded come again too; nothing sent by the new
            // instance comes twice.
            for (String id : queued) {
                List<Long> times = receiver.received().stream().filter(r -> r.deliveryId().equals(id))
                        .map(WebhookReceiver.Received::atMillis).sorted().toList();
                assertTrue(times.size() == 1 || (times.size() == 2 && times.get(0) <= killedAtMillis
                        && times.get(1) > killedAtMillis), id + " arrived at " + times + ", killed at " + killedAtMillis);
            }
            assertTrue(receiver.received().stream().allMatch(WebhookReceiver.Received::signatureValid));
            // The lease is 3 x the 2 s attempt timeout + 5 s = 11 s from the claim: not sent again before it ran out.
            assertTrue(resentAfterMillis >= 5_000, "resent only after the dead holder's lease expired: " + resentAfterMillis);
        }
    }

    private boolean allDelivered(String url, int expected) {
        try (Database db = Database.open(url, null, null)) {
            List<WebhookStore.Delivery> all = new WebhookStore(db).recent(100);
            return all.size() == expected && all.stream().allMatch(d -> d.status() == org.stationtrust.server.internal.store.DeliveryStatus.DELIVERED);
        }
    }

    private void start(String url) throws Exception {
        int port = FreePorts.loopback();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path log = dir.resolve("server-" + port + ".log");
        server = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                "org.stationtrust.server.ServerCommand", "serve", "--db", url, "--bind", "127.0.0.1", "--port",
                Integer.toString(port), "--insecure-plaintext-http", "--webhook-allow-private-targets",
                "--webhook-timeout", "PT2S")).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            try {
                if (http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ready")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            if (!server.isAlive()) throw new AssertionError("server exited: " + Files.readString(log));
            if (System.nanoTime() > deadline) throw new AssertionError("server did not become ready");
            Thread.sleep(100);
        }
    }

}
