package org.stationtrust.server.internal.notify;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.stationtrust.server.ServerConfig;
import org.stationtrust.server.internal.audit.AuditLog;
import org.stationtrust.server.internal.audit.AuditOutcome;
import org.stationtrust.server.internal.auth.Secrets;
import org.stationtrust.logging.JsonLog;
import org.stationtrust.server.internal.metrics.ServerMetrics;
import org.stationtrust.server.internal.store.WebhookStore;

/**
 * Sends the outbox: leases due deliveries (at most {@link #SENDERS} at a time per instance), POSTs each with its
 * signature, and records the answer. A 2xx answer delivers; anything else (refused connection, timeout, 3xx, 4xx,
 * 5xx) is retried after a delay that doubles from the first retry up to the cap, until the policy's attempts are
 * spent and the delivery is given up (FAILED, audited). At least once: an instance that dies after sending and
 * before recording leaves the lease to expire, and the delivery is sent again with the same id.
 */
public final class WebhookCourier implements AutoCloseable {
    static final int SENDERS = 4;
    private static final JsonLog LOG = new JsonLog(WebhookCourier.class);
    private static final long POLL_MILLIS = 250;

    private final WebhookStore store;
    private final AuditLog audit;
    private final ServerMetrics metrics;
    private final ServerConfig.WebhookPolicy policy;
    private final String owner = Secrets.newId().substring(0, 16);
    private final HttpClient http;
    private final Semaphore free = new Semaphore(SENDERS);
    private final ExecutorService senders;
    private final Thread poller;
    private volatile boolean closed;

    public WebhookCourier(WebhookStore store, AuditLog audit, ServerMetrics metrics, ServerConfig.WebhookPolicy policy) {
        this.store = store;
        this.audit = audit;
        this.metrics = metrics;
        this.policy = policy;
        this.http = HttpClient.newBuilder().connectTimeout(policy.timeout()).followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.senders = Executors.newFixedThreadPool(SENDERS, r -> daemon(r, "webhook-sender"));
        this.poller = daemon(this::poll, "webhook-courier");
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    public WebhookCourier start() {
        poller.start();
        return this;
    }

    /** A lease outlives the longest attempt (connect plus answer) with a margin, so only a dead holder loses it. */
    private long leaseMillis() {
        return policy.timeout().toMillis() * 3 + 5_000;
    }

    private void poll() {
        while (!closed) {
            try {
                int slots = free.availablePermits();
                List<WebhookStore.Delivery> due = slots == 0 ? List.of()
                        : store.claim(owner, System.currentTimeMillis(), System.currentTimeMillis() + leaseMillis(), slots);
                for (WebhookStore.Delivery d : due) {
                    free.acquire();
                    senders.execute(() -> {
                        try {
                            send(d);
                        } finally {
                            free.release();
                        }
                    });
                }
                if (due.isEmpty()) Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warn("webhook_poll_failed", "error", e.getMessage());
                sleepQuietly();
            }
        }
    }

    private void sleepQuietly() {
        try {
            Thread.sleep(POLL_MILLIS * 4);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void send(WebhookStore.Delivery d) {
        Optional<WebhookStore.Webhook> hook = store.find(d.webhookId());
        if (hook.isEmpty()) return;
        Integer status = null;
        String error;
        try {
            WebhookTarget target = WebhookTarget.parse(hook.get().url());
            target.requireAllowedAddress(policy.allowPrivateTargets());
            byte[] body = d.body().getBytes(StandardCharsets.UTF_8);
            long ts = System.currentTimeMillis() / 1000;
            HttpResponse<Void> r = http.send(HttpRequest.newBuilder(target.uri()).timeout(policy.timeout())
                    .header("Content-Type", "application/json")
                    .header("User-Agent", "station-trust-server-enroll")
                    .header(WebhookSignature.DELIVERY_HEADER, d.id())
                    .header(WebhookSignature.EVENT_HEADER, d.event())
                    .header(WebhookSignature.TIMESTAMP_HEADER, Long.toString(ts))
                    .header(WebhookSignature.HEADER, WebhookSignature.sign(hook.get().secret(), ts, body))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.discarding());
            status = r.statusCode();
            if (status >= 200 && status < 300) {
                store.delivered(d.id(), owner, System.currentTimeMillis(), status);
                metrics.webhookDelivery(eventLabel(d), "delivered");
                return;
            }
            error = "receiver answered HTTP " + status;
        } catch (WebhookTarget.Refused e) {
            error = e.getMessage();
        } catch (java.io.IOException e) {
            error = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return; // the lease expires and the delivery is sent again
        }
        // stored, shown to auditors and logged: no part of the URL that its redaction withholds (docs/logging.md, "URLs")
        failed(d, status, org.stationtrust.logging.UrlRedaction.within(error, hook.get().url()));
    }

    private void failed(WebhookStore.Delivery d, Integer status, String error) {
        int attempts = d.attempts() + 1;
        long now = System.currentTimeMillis();
        Long next = attempts >= policy.maxAttempts() ? null : now + delayMillis(attempts);
        if (!store.failed(d.id(), owner, now, status, error, next)) return;
        metrics.webhookDelivery(eventLabel(d), next == null ? "failed" : "retry");
        LOG.warn("webhook_attempt_failed", "delivery", d.id(), "webhook", d.webhookId(), "attempt", attempts,
                "error", error);
        if (next == null) {
            audit.append("server", "webhook.delivery_failed", d.id(), AuditOutcome.FAILED,
                    "event " + d.event() + " to webhook "
                    + d.webhookId() + " given up after " + attempts + " attempts: " + error);
        }
    }

    /** The first retry delay, doubled after each further failure, capped. */
    long delayMillis(int attempts) {
        long first = policy.firstRetry().toMillis();
        long cap = policy.maxRetry().toMillis();
        int doublings = Math.min(attempts - 1, 30);
        return Math.min(cap, first << doublings > 0 ? first << doublings : cap);
    }

    private static String eventLabel(WebhookStore.Delivery d) {
        try {
            return FleetEventType.parse(d.event()).label();
        } catch (IllegalArgumentException e) {
            return "unknown";
        }
    }

    @Override
    public void close() {
        closed = true;
        poller.interrupt();
        senders.shutdownNow();
        try {
            senders.awaitTermination(5, TimeUnit.SECONDS);
            poller.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
