package org.stationtrust.server.internal.http;

import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;
import org.stationtrust.logging.JsonLog;
import org.stationtrust.protocol.ErrorCode;
import org.stationtrust.server.ClientLimits;

/**
 * The server's first handler, in front of the routes: what a request may cost is decided here, from its request
 * line and headers, before anything expensive happens.
 * <ol>
 * <li>requests one client address has in progress are capped (429 {@code rate_limited});</li>
 * <li>a path not in the exact form the routes are written in ({@link #canonical}) is refused (404
 * {@code not_found});</li>
 * <li>the route's cheap checks run on the headers ({@link Precheck}: a station's signature, key and timestamp, an
 * operator token, the enrollment rate limit); a refusal is answered without reading the body;</li>
 * <li>a request no route serves is refused (404 {@code not_found}) before anything is reserved for it;</li>
 * <li>the body is bounded per route ({@link Admission#bodyLimit}, 413 {@code body_too_large} on the declared
 * length alone), must fit in the memory all bodies share, and an anonymous one in its share of it
 * ({@link ClientLimits#anonymousBodyBytes}; 503 {@code server_busy}), and is read asynchronously,
 * holding no thread while it arrives, within a deadline: at most {@link ClientLimits#bodyTimeout} in all and at
 * least {@link ClientLimits#minBodyBytesPerSecond} after {@link ClientLimits#BODY_GRACE} (408 {@code body_timeout},
 * connection closed);</li>
 * <li>station and anonymous requests then need one of the threads left after the operators' reserved share
 * (503 {@code server_busy} at once when there is none), so health, readiness, the admin page and the operator API
 * always find a thread.</li>
 * </ol>
 * The routes then read the body from memory.
 */
public final class RequestGate extends Handler.Wrapper {
    /** Request attribute holding what the precheck established (e.g. the verified station signature). */
    public static final String PRECHECKED = "gate.prechecked";
    private static final long TICK_MILLIS = 500;
    /** Bodies of refused requests up to this size are read and discarded before the answer (see refuseUnread). */
    static final int DRAIN_LIMIT = 1024 * 1024;
    private static final JsonLog LOG = new JsonLog(RequestGate.class);

    /** The request line and headers, as the precheck sees them. */
    public record Head(String method, String path, String client, java.util.function.Function<String, String> header) {
    }

    /**
     * What the precheck allows: the body limit for this request, what it verified (or null), and whether the caller is
     * known (a verified station or an authenticated operator): only known callers' bodies may use the whole body
     * memory.
     */
    public record Admission(int bodyLimit, Object verified, boolean known) {
        public Admission(int bodyLimit, Object verified) {
            this(bodyLimit, verified, verified != null);
        }
    }

    /**
     * An anonymous body of at most this declared length is not counted against the anonymous share of the body memory
     * (only against the whole): it is what an unsigned quote or nonce request needs, and the connection limits bound
     * how many such bodies there can be.
     */
    static final int SMALL_BODY = 8 * 1024;

    /** A route's cheap checks on the request line and headers; throws {@link ApiException} to refuse. */
    @FunctionalInterface
    public interface Precheck {
        Admission admit(Head head);
    }

    /** Writes a refusal the gate makes (same JSON as every other error) and audits it. */
    @FunctionalInterface
    public interface Refusals {
        void refused(Head head, ErrorCode code, String message);
    }

    private final ClientLimits limits;
    private final RouteTable routes;
    private final Precheck precheck;
    private final Refusals refusals;
    private final boolean https;
    private final ConcurrentHashMap<String, Integer> inProgress = new ConcurrentHashMap<>();
    private final Semaphore stationThreads;
    private final AtomicLong bodyBytes = new AtomicLong();
    private final AtomicLong anonymousBodyBytes = new AtomicLong();

    /** {@code https}: clients reach the server over TLS, so its refusals carry HSTS as every other answer does. */
    public RequestGate(ClientLimits limits, RouteTable routes, Precheck precheck, Refusals refusals, boolean https) {
        this.limits = limits;
        this.routes = routes;
        this.precheck = precheck;
        this.refusals = refusals;
        this.https = https;
        this.stationThreads = new Semaphore(limits.stationThreads());
    }

    /**
     * Operator, health, readiness and metrics routes: they use the reserved threads. Signing in is not among them:
     * whoever signs in is not an operator yet, and anonymous sign-ins must not take the threads operators keep.
     */
    public static boolean operatorRoute(String path) {
        return path.equals("/health") || path.equals("/ready") || path.equals("/metrics") || path.equals("/admin")
                || (path.startsWith("/admin/") && !path.equals(SIGN_IN))
                || path.startsWith("/api/v1/admin/");
    }

    /** The sign-in form and its POST (AdminPage). */
    static final String SIGN_IN = "/admin/login";

    /**
     * Whether the path is already in the one form the routes are written in. The router forgives a trailing slash
     * and the servlet layer decodes and normalises, while the prechecks compare the path as sent: a request
     * whose path the router would read differently (e.g. {@code /api/v1/enrollments/} past the enrollment rate
     * limit) is refused here, so every check and the router see the same path.
     */
    static boolean canonical(org.eclipse.jetty.http.HttpURI uri) {
        String raw = uri.getPath();
        if (raw == null || !raw.startsWith("/") || !raw.equals(uri.getCanonicalPath())) return false;
        return raw.equals("/") || (!raw.endsWith("/") && !raw.contains("//"));
    }

    private static String clip(String s) {
        return s.length() > 128 ? s.substring(0, 128) : s;
    }

    /** Body bytes held in memory right now by all requests (for tests and metrics). */
    public long bodyBytesHeld() {
        return bodyBytes.get();
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = request.getHttpURI().getPath();
        Head head = new Head(request.getMethod(), path == null ? "" : path, Request.getRemoteAddr(request),
                name -> request.getHeaders().get(name));
        String limitKey = ClientAddress.limitKey(head.client());
        if (inProgress.merge(limitKey, 1, Integer::sum) > limits.requestsPerClient()) {
            Callback done = countedDone(limitKey, callback);
            return refuse(head, response, done, ErrorCode.RATE_LIMITED, "Too many requests in progress from this "
                    + "address (limit " + limits.requestsPerClient() + "); retry when earlier ones have finished",
                    hasBody(request));
        }
        Callback done = countedDone(limitKey, callback);
        if (!canonical(request.getHttpURI())) {
            return refuseUnread(head, request, response, done, ErrorCode.NOT_FOUND, "No such route: "
                    + head.method() + " " + clip(head.path()) + " (paths are exact: no trailing slash, empty segment, "
                    + "dot segment, path parameter or percent-encoding)");
        }
        if (!routes.serves(head.method(), head.path())) {
            return refuseUnread(head, request, response, done, ErrorCode.NOT_FOUND, "No such route: "
                    + head.method() + " " + clip(head.path()));
        }
        Admission admission;
        try {
            admission = precheck.admit(head);
        } catch (ApiException e) {
            return refuseUnread(head, request, response, done, e.code(), e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("precheck_failed", "path", head.path(), "error", String.valueOf(e.getMessage()));
            return refuseUnread(head, request, response, done, ErrorCode.INTERNAL, "Internal error; retry later");
        }
        if (admission.verified() != null) request.setAttribute(PRECHECKED, admission.verified());
        if (!hasBody(request)) return dispatch(head, request, response, done);
        long declared = request.getLength();
        if (declared > admission.bodyLimit()) {
            return refuseUnread(head, request, response, done, ErrorCode.BODY_TOO_LARGE, "Request body exceeds "
                    + admission.bodyLimit() + " bytes");
        }
        long reserve = declared >= 0 ? declared : admission.bodyLimit();
        if (bodyBytes.addAndGet(reserve) > limits.bodyMemoryBytes()) {
            bodyBytes.addAndGet(-reserve);
            return refuseUnread(head, request, response, done, ErrorCode.SERVER_BUSY, "The server is receiving too many "
                    + "request bodies at the moment; retry shortly");
        }
        // Bodies of callers nobody knows yet share a part of the memory, so they cannot crowd out stations' signed
        // requests and operators' forms.
        long anonymous = admission.known() || (declared >= 0 && declared <= SMALL_BODY) ? 0 : reserve;
        if (anonymous > 0 && anonymousBodyBytes.addAndGet(anonymous) > limits.anonymousBodyBytes()) {
            anonymousBodyBytes.addAndGet(-anonymous);
            bodyBytes.addAndGet(-reserve);
            return refuseUnread(head, request, response, done, ErrorCode.SERVER_BUSY, "The server is receiving too many "
                    + "request bodies from unauthenticated callers at the moment; retry shortly");
        }
        Callback releasing = releasing(reserve, anonymous, done);
        new BodyReader(head, request, response, releasing, admission.bodyLimit(), (int) reserve, null, null).start();
        return true;
    }

    /**
     * Refuses a request whose body was not read. A small body (at most {@link #DRAIN_LIMIT}) is first read and thrown
     * away, without holding a thread or memory and under the same deadline, so that the client, still sending it,
     * gets the answer instead of a connection reset; a larger one is answered at once and the connection closed.
     */
    private boolean refuseUnread(Head head, Request request, Response response, Callback callback, ErrorCode code,
                                 String message) {
        if (!hasBody(request)) return refuse(head, response, callback, code, message, false);
        if (request.getLength() > DRAIN_LIMIT) return refuse(head, response, callback, code, message, true);
        new BodyReader(head, request, response, callback, DRAIN_LIMIT, 0, code, message).start();
        return true;
    }

    private static boolean hasBody(Request request) {
        return request.getLength() > 0 || (request.getLength() < 0
                && request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING));
    }

    private boolean dispatch(Head head, Request request, Response response, Callback callback) throws Exception {
        if (operatorRoute(head.path())) return super.handle(request, response, callback);
        if (!stationThreads.tryAcquire()) {
            return refuse(head, response, callback, ErrorCode.SERVER_BUSY, "All request threads for station traffic "
                    + "are busy; retry shortly", request.getLength() != 0);
        }
        Callback releasing = once(callback, stationThreads::release);
        try {
            if (!super.handle(request, response, releasing)) {
                releasing.failed(new IllegalStateException("no handler"));
            }
        } catch (Exception | Error e) {
            releasing.failed(e);
        }
        return true;
    }

    private boolean refuse(Head head, Response response, Callback callback, ErrorCode code, String message,
                           boolean close) {
        refusals.refused(head, code, message);
        response.setStatus(code.status());
        // the same headers and request id as every other answer (docs/server-api.md, "Conventions")
        String requestId = ResponseHeaders.newRequestId();
        ResponseHeaders.apply(response.getHeaders()::put, requestId, https);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        if (code == ErrorCode.RATE_LIMITED || code == ErrorCode.SERVER_BUSY) {
            response.getHeaders().put(HttpHeader.RETRY_AFTER, "1");
        }
        if (close) response.getHeaders().put(HttpHeader.CONNECTION, "close");
        response.write(true, ByteBuffer.wrap(ErrorBodies.json(code, message, requestId)), callback);
        return true;
    }

    private Callback countedDone(String client, Callback callback) {
        return once(callback, () -> inProgress.computeIfPresent(client, (k, n) -> n <= 1 ? null : n - 1));
    }

    private Callback releasing(long reserved, long anonymous, Callback callback) {
        return once(callback, () -> {
            bodyBytes.addAndGet(-reserved);
            if (anonymous > 0) anonymousBodyBytes.addAndGet(-anonymous);
        });
    }

    /** A callback that runs {@code release} exactly once, when the request completes either way. */
    private static Callback once(Callback callback, Runnable release) {
        AtomicBoolean released = new AtomicBoolean();
        return new Callback.Nested(callback) {
            @Override
            public void succeeded() {
                if (released.compareAndSet(false, true)) release.run();
                super.succeeded();
            }

            @Override
            public void failed(Throwable x) {
                if (released.compareAndSet(false, true)) release.run();
                super.failed(x);
            }
        };
    }

    /**
     * Reads one body without holding a thread while it arrives: each time data is there it is copied, then the
     * reader asks to be called again ({@code demand}); a timer checks the deadline and the minimum rate.
     */
    private final class BodyReader implements Runnable {
        private final Head head;
        private final Request request;
        private final Response response;
        private final Callback callback;
        private final int limit;
        private final long startedNanos = System.nanoTime();
        private final AtomicBoolean finished = new AtomicBoolean();
        private byte[] buffer;
        private int size;
        private volatile int received;
        private volatile Scheduler.Task timer;
        /** When set, the body is only drained, and this refusal answered once it has arrived. */
        private final ErrorCode refusal;
        private final String refusalMessage;

        BodyReader(Head head, Request request, Response response, Callback callback, int limit, int initialCapacity,
                   ErrorCode refusal, String refusalMessage) {
            this.head = head;
            this.request = request;
            this.response = response;
            this.callback = callback;
            this.limit = limit;
            this.buffer = new byte[Math.min(initialCapacity, limit)];
            this.refusal = refusal;
            this.refusalMessage = refusalMessage;
        }

        /**
         * Reads what has arrived; the deadline timer is set only when the body is not all there yet (most bodies of
         * station requests arrive with their head, and a timer set and cancelled per request cost the scheduler's
         * lock twice). A reader that finishes on another thread before the timer is set leaves a timer that finds
         * it finished and stops.
         */
        void start() {
            run();
            if (!finished.get()) {
                schedule();
            }
        }

        private void schedule() {
            timer = request.getComponents().getScheduler().schedule(this::tick, TICK_MILLIS, TimeUnit.MILLISECONDS);
        }

        @Override
        public void run() {
            while (!finished.get()) {
                Content.Chunk chunk = request.read();
                if (chunk == null) {
                    request.demand(this);
                    return;
                }
                if (Content.Chunk.isFailure(chunk)) {
                    if (finished.compareAndSet(false, true)) {
                        cancelTimer();
                        callback.failed(chunk.getFailure());
                    }
                    return;
                }
                boolean last = chunk.isLast();
                try {
                    if (!append(chunk.getByteBuffer())) return;
                } finally {
                    chunk.release();
                }
                if (last) {
                    complete();
                    return;
                }
            }
        }

        private boolean append(ByteBuffer data) {
            int n = data.remaining();
            if ((long) size + n > limit) {
                fail(ErrorCode.BODY_TOO_LARGE, "Request body exceeds " + limit + " bytes");
                return false;
            }
            if (refusal != null) {
                data.position(data.limit());
                size += n;
                received = size;
                return true;
            }
            if (size + n > buffer.length) {
                buffer = java.util.Arrays.copyOf(buffer, (int) Math.min(limit, Math.max(size + n, 2L * buffer.length)));
            }
            data.get(buffer, size, n);
            size += n;
            received = size;
            return true;
        }

        private void tick() {
            if (finished.get()) return;
            long elapsedMillis = (System.nanoTime() - startedNanos) / 1_000_000;
            long graceMillis = ClientLimits.BODY_GRACE.toMillis();
            if (elapsedMillis > limits.bodyTimeout().toMillis()) {
                fail(ErrorCode.BODY_TIMEOUT, "The request body did not arrive within " + limits.bodyTimeout().toSeconds()
                        + " s");
                return;
            }
            if (elapsedMillis > graceMillis
                    && received < limits.minBodyBytesPerSecond() * (elapsedMillis - graceMillis) / 1000) {
                fail(ErrorCode.BODY_TIMEOUT, "The request body arrives slower than " + limits.minBodyBytesPerSecond()
                        + " bytes/s");
                return;
            }
            schedule();
        }

        private void fail(ErrorCode code, String message) {
            if (!finished.compareAndSet(false, true)) return;
            cancelTimer();
            // A refused request whose body is too slow or too big to drain still gets its own refusal.
            if (refusal != null) refuse(head, response, callback, refusal, refusalMessage, true);
            else refuse(head, response, callback, code, message, true);
        }

        private void complete() {
            if (!finished.compareAndSet(false, true)) return;
            cancelTimer();
            if (refusal != null) {
                refuse(head, response, callback, refusal, refusalMessage, false);
                return;
            }
            try {
                dispatch(head, new BufferedRequest(request, buffer, size), response, callback);
            } catch (Exception | Error e) {
                callback.failed(e);
            }
        }

        private void cancelTimer() {
            Scheduler.Task t = timer;
            if (t != null) t.cancel();
        }
    }

    /**
     * The body the gate read for a request it passed on (empty when the request had none), for handlers below the gate
     * that take the body whole instead of reading it as a stream.
     */
    public static byte[] body(Request request) {
        BufferedRequest buffered = Request.as(request, BufferedRequest.class);
        return buffered == null ? new byte[0] : buffered.bytes();
    }

    /** The request with its body already in memory: the routes read it without waiting. */
    private static final class BufferedRequest extends Request.Wrapper {
        private final byte[] body;
        private final int length;
        private Content.Chunk next;

        BufferedRequest(Request request, byte[] body, int length) {
            super(request);
            this.body = body;
            this.length = length;
            this.next = Content.Chunk.from(ByteBuffer.wrap(body, 0, length), true);
        }

        @Override
        public long getLength() {
            return length;
        }

        byte[] bytes() {
            return length == body.length ? body : java.util.Arrays.copyOf(body, length);
        }

        @Override
        public synchronized Content.Chunk read() {
            Content.Chunk c = next;
            next = Content.Chunk.EOF;
            return c;
        }

        @Override
        public boolean consumeAvailable() {
            synchronized (this) {
                next = Content.Chunk.EOF;
            }
            return true;
        }

        @Override
        public void demand(Runnable demandCallback) {
            demandCallback.run();
        }

        @Override
        public void fail(Throwable failure) {
            synchronized (this) {
                next = Content.Chunk.from(failure);
            }
        }
    }
}
