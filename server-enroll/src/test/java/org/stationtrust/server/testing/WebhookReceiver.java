package org.stationtrust.server.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A real HTTP webhook receiver on loopback, written as a receiver should be: it checks the signature over timestamp
 * and body, refuses a stale timestamp, and processes each delivery id once (a resend is acknowledged, not processed
 * again). A test decides per request what it answers and when ({@link Behaviour}); every request is recorded.
 */
public final class WebhookReceiver implements AutoCloseable {
    /** What to do with the n-th request (1-based, over all requests) carrying one delivery id. */
    @FunctionalInterface
    public interface Behaviour {
        Answer answer(String deliveryId, int attemptForThisId) throws InterruptedException;
    }

    /** HTTP status to answer after waiting {@code delayMillis}. */
    public record Answer(int status, long delayMillis) {
        public static final Answer OK = new Answer(200, 0);
    }

    public record Received(String deliveryId, String event, long timestamp, String body, boolean signatureValid,
                           long atMillis) {
    }

    private final String secret;
    private final HttpServer server;
    private final ExecutorService pool = Executors.newCachedThreadPool();
    private volatile Behaviour behaviour = (id, n) -> Answer.OK;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Set<String> processed = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    private final AtomicInteger maxInFlightPerId = new AtomicInteger();

    private WebhookReceiver(String secret, int port) throws IOException {
        this.secret = secret;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
        server.setExecutor(pool);
        server.createContext("/hook", exchange -> {
            try (exchange) {
                String id = exchange.getRequestHeaders().getFirst("X-StationTrust-Delivery");
                String ts = exchange.getRequestHeaders().getFirst("X-StationTrust-Timestamp");
                String sig = exchange.getRequestHeaders().getFirst("X-StationTrust-Signature");
                byte[] body;
                try (InputStream in = exchange.getRequestBody()) {
                    body = in.readNBytes(64 * 1024);
                }
                long timestamp = ts == null ? 0 : Long.parseLong(ts);
                boolean valid = sig != null && MessageDigest.isEqual(sig.getBytes(StandardCharsets.US_ASCII),
                        sign(timestamp, body).getBytes(StandardCharsets.US_ASCII))
                        && Math.abs(System.currentTimeMillis() / 1000 - timestamp) <= 300;
                received.add(new Received(id, exchange.getRequestHeaders().getFirst("X-StationTrust-Event"), timestamp,
                        new String(body, StandardCharsets.UTF_8), valid, System.currentTimeMillis()));
                int n = attempts.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
                int concurrent = inFlight.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
                maxInFlightPerId.accumulateAndGet(concurrent, Math::max);
                try {
                    Answer a = behaviour.answer(id, n);
                    if (a.delayMillis() > 0) Thread.sleep(a.delayMillis());
                    if (!valid) {
                        exchange.sendResponseHeaders(401, -1);
                        return;
                    }
                    if (a.status() >= 200 && a.status() < 300) processed.add(id); // idempotent: a set of ids
                    exchange.sendResponseHeaders(a.status(), -1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    inFlight.get(id).decrementAndGet();
                }
            }
        });
        server.start();
    }

    public static WebhookReceiver start(String secret) throws IOException {
        return new WebhookReceiver(secret, 0);
    }

    /** A receiver on a port chosen before (e.g. to come back where a stopped one was). */
    public static WebhookReceiver startOn(String secret, int port) throws IOException {
        return new WebhookReceiver(secret, port);
    }

    private String sign(long timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((timestamp + ".").getBytes(StandardCharsets.US_ASCII));
            return "v1=" + java.util.HexFormat.of().formatHex(mac.doFinal(body));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public void behave(Behaviour b) {
        behaviour = b;
    }

    public String url() {
        return "http://127.0.0.1:" + port() + "/hook";
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    /** Delivery ids processed (answered 2xx), each once however often it arrived. */
    public Set<String> processed() {
        return Set.copyOf(processed);
    }

    public int maxConcurrentRequestsForOneDelivery() {
        return maxInFlightPerId.get();
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}
