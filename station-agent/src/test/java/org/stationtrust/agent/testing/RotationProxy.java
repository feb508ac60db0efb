package org.stationtrust.agent.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A real HTTPS reverse proxy between the agent and server-enroll. It presents the server's own certificate (from
 * the restartable fixture's keystore), so the agent's pin holds, and forwards every request unchanged, except that
 * a key-rotation request (or, after {@link #losesOn}, a request to another path, such as an enrollment) can be lost:
 * before it reaches the server, or after the server committed it (the answer is thrown away and the connection
 * closed), or held after the commit until the test lets go. The "rotation" counters count requests to that path.
 */
public final class RotationProxy implements AutoCloseable {
    public static final String ROTATION_PATH = "/api/v1/stations/key-rotation";
    private static final Set<String> NOT_FORWARDED = Set.of("host", "content-length", "connection", "upgrade", "expect",
            "keep-alive", "transfer-encoding", "te", "trailer", "http2-settings");

    /** What happens to the next key-rotation request. */
    public enum Mode {
        /** Forwarded, answer relayed. */
        PASS,
        /** Connection closed before anything reaches the server. */
        DROP_BEFORE_SERVER,
        /** Forwarded; the server commits; its answer is discarded and the connection closed. */
        DROP_AFTER_COMMIT,
        /** Forwarded; the server commits; the answer is held until {@link #release()}, then the connection closed. */
        HOLD_AFTER_COMMIT,
        /**
         * Kept here and the connection closed at once, so the agent sees a lost answer; the request reaches the server
         * only when the test lets it go ({@link #releaseDelayed}, {@link #releaseDelayedBefore}): a delayed request.
         */
        DELAY_BEFORE_SERVER
    }

    /** A request kept by {@link Mode#DELAY_BEFORE_SERVER}, exactly as it came. */
    private record Delayed(String method, String uri, java.util.Map<String, List<String>> headers, byte[] body) {
    }

    /** What the server answered to a delayed request once it was let go. */
    public record DelayedAnswer(int status, String body) {
    }

    private final HttpsServer https;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "rotation-proxy");
        t.setDaemon(true);
        return t;
    });
    private final HttpClient upstream;
    private final String target;
    private Mode mode = Mode.PASS;
    /** Requests on the lossy path still to get {@link #mode}; -1: every one until the mode changes. */
    private int losses = -1;
    private volatile java.util.function.Predicate<String> lossyPath = ROTATION_PATH::equals;
    private final AtomicInteger rotationsSeen = new AtomicInteger();
    private final AtomicInteger rotationsCommitted = new AtomicInteger();
    private final AtomicInteger lastRotationStatus = new AtomicInteger();
    private final CountDownLatch released = new CountDownLatch(1);
    private final java.util.Map<String, AtomicInteger> requests = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicReference<Delayed> delayed = new java.util.concurrent.atomic.AtomicReference<>();
    private final java.util.concurrent.CompletableFuture<DelayedAnswer> delayedAnswer = new java.util.concurrent.CompletableFuture<>();
    private volatile String releaseBefore;

    public RotationProxy(String serverUrl, Path keystore, char[] password) throws Exception {
        this.target = serverUrl;
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = java.nio.file.Files.newInputStream(keystore)) {
            ks.load(in, password);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, password);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext serverSide = SSLContext.getInstance("TLS");
        serverSide.init(kmf.getKeyManagers(), null, null);
        SSLContext clientSide = SSLContext.getInstance("TLS");
        clientSide.init(null, tmf.getTrustManagers(), null);
        upstream = HttpClient.newBuilder().sslContext(clientSide).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        https = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        https.setHttpsConfigurator(new HttpsConfigurator(serverSide));
        https.createContext("/", this::handle);
        https.setExecutor(executor);
        https.start();
    }

    public String url() {
        return "https://127.0.0.1:" + https.getAddress().getPort();
    }

    public synchronized void mode(Mode next) {
        mode = next;
        losses = -1;
    }

    /** {@code next} for the following {@code times} requests on the lossy path, then {@link Mode#PASS} again. */
    public synchronized void mode(Mode next, int times) {
        mode = next;
        losses = times;
    }

    /** Loses requests to {@code path} (exact request path) instead of key rotations. */
    public RotationProxy losesOn(String path) {
        lossyPath = path::equals;
        return this;
    }

    /** Loses requests whose path ends with {@code suffix} (e.g. an activation, whose path holds the machine id). */
    public RotationProxy losesOnPathsEndingWith(String suffix) {
        lossyPath = p -> p.endsWith(suffix);
        return this;
    }

    /** The mode for one request on the lossy path. */
    private synchronized Mode take() {
        if (losses == 0) mode = Mode.PASS;
        if (losses > 0) losses--;
        return mode;
    }

    /** Key-rotation requests that arrived here. */
    public int rotationsSeen() {
        return rotationsSeen.get();
    }

    /** Key-rotation requests the server answered with 2xx (committed), whether or not the answer was relayed. */
    public int rotationsCommitted() {
        return rotationsCommitted.get();
    }

    public int lastRotationStatus() {
        return lastRotationStatus.get();
    }

    /** Requests that arrived here for {@code path} (any method). */
    public int requests(String path) {
        AtomicInteger n = requests.get(path);
        return n == null ? 0 : n.get();
    }

    /** Lets a held answer go (the connection is then closed without it). */
    public void release() {
        released.countDown();
    }

    /** Whether a request is kept by {@link Mode#DELAY_BEFORE_SERVER} and not let go yet. */
    public boolean holdsDelayed() {
        return delayed.get() != null;
    }

    /** Lets the delayed request go to the server now; answers what the server said to it. */
    public DelayedAnswer releaseDelayed() throws IOException {
        Delayed d = delayed.getAndSet(null);
        if (d == null) throw new IllegalStateException("no delayed request is held");
        HttpResponse<byte[]> answer = forward(d.method(), d.uri(), d.headers(), d.body());
        DelayedAnswer a = new DelayedAnswer(answer.statusCode(), new String(answer.body(), java.nio.charset.StandardCharsets.UTF_8));
        lastRotationStatus.set(a.status());
        if (a.status() / 100 == 2) rotationsCommitted.incrementAndGet();
        delayedAnswer.complete(a);
        return a;
    }

    /** Lets the delayed request go just before the next request to {@code path} is forwarded (a race, ordered). */
    public void releaseDelayedBefore(String path) {
        releaseBefore = path;
    }

    /** What the server answered to the delayed request, once it was let go (by the test or {@link #releaseDelayedBefore}). */
    public DelayedAnswer delayedAnswer() throws Exception {
        return delayedAnswer.get(60, TimeUnit.SECONDS);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (exchange.getRequestURI().getRawPath().equals(releaseBefore) && holdsDelayed()) releaseDelayed();
            boolean rotation = lossyPath.test(exchange.getRequestURI().getRawPath());
            requests.computeIfAbsent(exchange.getRequestURI().getRawPath(), k -> new AtomicInteger()).incrementAndGet();
            Mode now = rotation ? take() : Mode.PASS;
            if (rotation) rotationsSeen.incrementAndGet();
            if (now == Mode.DROP_BEFORE_SERVER) throw new LostOnPurpose("rotation request dropped before the server");
            if (now == Mode.DELAY_BEFORE_SERVER) {
                java.util.Map<String, List<String>> headers = new java.util.HashMap<>();
                exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, List.copyOf(values)));
                delayed.set(new Delayed(exchange.getRequestMethod(), exchange.getRequestURI().toString(), headers, body));
                throw new LostOnPurpose("rotation request kept to be delivered later");
            }
            HttpResponse<byte[]> answer = forward(exchange.getRequestMethod(), exchange.getRequestURI().toString(),
                    exchange.getRequestHeaders(), body);
            if (rotation) {
                lastRotationStatus.set(answer.statusCode());
                if (answer.statusCode() / 100 == 2) rotationsCommitted.incrementAndGet();
            }
            if (now == Mode.DROP_AFTER_COMMIT) throw new LostOnPurpose("rotation answer dropped after the server answered");
            if (now == Mode.HOLD_AFTER_COMMIT) {
                awaitRelease();
                throw new LostOnPurpose("rotation answer held, then dropped");
            }
            answer.headers().firstValue("Content-Type").ifPresent(v -> exchange.getResponseHeaders().add("Content-Type", v));
            exchange.sendResponseHeaders(answer.statusCode(), answer.body().length == 0 ? -1 : answer.body().length);
            exchange.getResponseBody().write(answer.body());
        }
    }

    private void awaitRelease() {
        try {
            released.await(120, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private HttpResponse<byte[]> forward(String method, String uri, java.util.Map<String, List<String>> headers, byte[] body)
            throws IOException {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(target + uri))
                .timeout(Duration.ofSeconds(30))
                .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach((name, values) -> {
            if (NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))) return;
            for (String v : List.copyOf(values)) r.header(name, v);
        });
        try {
            return upstream.send(r.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while forwarding", e);
        }
    }

    /** Thrown out of the handler: the HTTP server then closes the connection without an answer. */
    private static final class LostOnPurpose extends RuntimeException {
        private static final long serialVersionUID = 1L;

        LostOnPurpose(String message) {
            super(message);
        }
    }

    @Override
    public void close() {
        released.countDown();
        https.stop(0);
        executor.shutdownNow();
    }
}
