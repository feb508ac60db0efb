package org.stationtrust.server;

import java.time.Duration;

/**
 * What one client (one remote address) and all clients together may hold of the server, so that no anonymous
 * party can starve the others (docs/server-api.md, "Limits against hostile clients"). Defaults suit stations that
 * each have their own address; behind a reverse proxy every client has the proxy's address, so raise the
 * per-client figures there. Built with {@link #builder()} (from the defaults) or {@link #toBuilder()}.
 *
 * @param connectionsPerClient open connections one address may hold; further ones are closed at once
 * @param requestsPerClient    requests of one address in progress at a time (including bodies still arriving);
 *                             the excess is answered 429 {@code rate_limited} without reading its body
 * @param bodyMemoryBytes      request bodies held in memory by all requests together; a request whose body would
 *                             exceed it is answered 503 {@code server_busy} without reading it
 * @param bodyTimeout          the longest a body may take to arrive, whatever its size
 * @param minBodyBytesPerSecond the slowest a body may arrive after its first {@link #BODY_GRACE}
 * @param threads              request threads of the server
 * @param operatorThreads      of those, how many station and anonymous traffic can never take: health, readiness,
 *                             the admin page and the operator API keep them
 * @param passwordHashes       password hashes (Argon2id, 19 MiB of heap each) running at once, server-wide; a sign-in
 *                             or password reset finding none free is answered 503 {@code server_busy}; 0 (the
 *                             default) sizes it from the processors and the heap ({@code PasswordHashSlots.automatic})
 * @param anonymousBodyPercent the share of {@code bodyMemoryBytes} that bodies of callers the route's cheap checks did
 *                             not authenticate (no station signature, no operator session or token) may hold together
 * @param maxConnections       open connections of all clients together; beyond it the server stops accepting until
 *                             one closes (new ones wait in the operating system's accept queue)
 * @param headTimeout          the longest a request head (request line and headers) may take to arrive: a new
 *                             connection's first head from the connection's opening, a later one from its first byte;
 *                             the connection is closed when it is late
 * @param failedChecksPerMinute station authentications (signature, key, timestamp, unsigned quote) one address may
 *                             fail a minute; further requests needing one are answered 429 {@code rate_limited}
 *                             without being checked
 */
public record ClientLimits(int connectionsPerClient, int requestsPerClient, long bodyMemoryBytes, Duration bodyTimeout,
                           int minBodyBytesPerSecond, int threads, int operatorThreads, int passwordHashes,
                           int anonymousBodyPercent, int maxConnections, Duration headTimeout,
                           int failedChecksPerMinute) {
    /** Bodies may start slowly (TLS, a slow first packet) for this long before the minimum rate applies. */
    public static final Duration BODY_GRACE = Duration.ofSeconds(2);
    /** Threads Jetty needs for itself (acceptor, selector, reserved executor) besides request handling. */
    static final int JETTY_OWN_THREADS = 6;

    public static final ClientLimits DEFAULTS = new ClientLimits(64, 32, 64L * 1024 * 1024, Duration.ofSeconds(20),
            2048, 200, 24, 0, 25, 2048, Duration.ofSeconds(10), 30);

    public ClientLimits {
        if (connectionsPerClient < 1 || requestsPerClient < 1) {
            throw new IllegalArgumentException("per-client connection and request limits must be at least 1");
        }
        if (bodyMemoryBytes < 1024 * 1024) throw new IllegalArgumentException("bodyMemoryBytes must be at least 1 MiB");
        if (bodyTimeout == null || bodyTimeout.compareTo(BODY_GRACE) <= 0 || bodyTimeout.compareTo(Duration.ofMinutes(10)) > 0) {
            throw new IllegalArgumentException("bodyTimeout must be more than 2 s and at most 10 minutes");
        }
        if (minBodyBytesPerSecond < 1) throw new IllegalArgumentException("minBodyBytesPerSecond must be at least 1");
        if (operatorThreads < 2 || threads < operatorThreads + JETTY_OWN_THREADS + 2) {
            throw new IllegalArgumentException("threads must exceed operatorThreads (at least 2) by at least "
                    + (JETTY_OWN_THREADS + 2));
        }
        if (passwordHashes < 0 || passwordHashes > 64) {
            throw new IllegalArgumentException("passwordHashes must be 0 (sized from processors and heap) to 64, not "
                    + passwordHashes);
        }
        if (anonymousBodyPercent < 1 || anonymousBodyPercent > 100) {
            throw new IllegalArgumentException("anonymousBodyPercent must be 1 to 100, not " + anonymousBodyPercent);
        }
        if (maxConnections < connectionsPerClient || maxConnections > 1_000_000) {
            throw new IllegalArgumentException("maxConnections must be at least connectionsPerClient ("
                    + connectionsPerClient + ") and at most 1000000, not " + maxConnections);
        }
        if (headTimeout == null || headTimeout.compareTo(Duration.ofSeconds(1)) < 0
                || headTimeout.compareTo(Duration.ofSeconds(60)) > 0) {
            throw new IllegalArgumentException("headTimeout must be 1 to 60 seconds, not " + headTimeout);
        }
        if (failedChecksPerMinute < 1 || failedChecksPerMinute > 1_000_000) {
            throw new IllegalArgumentException("failedChecksPerMinute must be 1 to 1000000, not " + failedChecksPerMinute);
        }
    }

    /** Body memory the bodies of unauthenticated callers may hold together. */
    public long anonymousBodyBytes() {
        return bodyMemoryBytes * anonymousBodyPercent / 100;
    }

    /** Request threads station and anonymous traffic may use at once. */
    public int stationThreads() {
        return threads - operatorThreads - JETTY_OWN_THREADS;
    }

    public static Builder builder() {
        return DEFAULTS.toBuilder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.connectionsPerClient = connectionsPerClient;
        b.requestsPerClient = requestsPerClient;
        b.bodyMemoryBytes = bodyMemoryBytes;
        b.bodyTimeout = bodyTimeout;
        b.minBodyBytesPerSecond = minBodyBytesPerSecond;
        b.threads = threads;
        b.operatorThreads = operatorThreads;
        b.passwordHashes = passwordHashes;
        b.anonymousBodyPercent = anonymousBodyPercent;
        b.maxConnections = maxConnections;
        b.headTimeout = headTimeout;
        b.failedChecksPerMinute = failedChecksPerMinute;
        return b;
    }

    /** Limits with some figures changed; {@link #build} validates them together. */
    public static final class Builder {
        private int connectionsPerClient;
        private int requestsPerClient;
        private long bodyMemoryBytes;
        private Duration bodyTimeout;
        private int minBodyBytesPerSecond;
        private int threads;
        private int operatorThreads;
        private int passwordHashes;
        private int anonymousBodyPercent;
        private int maxConnections;
        private Duration headTimeout;
        private int failedChecksPerMinute;

        private Builder() {
        }

        public Builder connectionsPerClient(int n) { connectionsPerClient = n; return this; }
        public Builder requestsPerClient(int n) { requestsPerClient = n; return this; }
        public Builder bodyMemoryBytes(long n) { bodyMemoryBytes = n; return this; }
        public Builder bodyTimeout(Duration d) { bodyTimeout = d; return this; }
        public Builder minBodyBytesPerSecond(int n) { minBodyBytesPerSecond = n; return this; }
        public Builder threads(int n) { threads = n; return this; }
        public Builder operatorThreads(int n) { operatorThreads = n; return this; }
        public Builder passwordHashes(int n) { passwordHashes = n; return this; }
        public Builder anonymousBodyPercent(int n) { anonymousBodyPercent = n; return this; }
        public Builder maxConnections(int n) { maxConnections = n; return this; }
        public Builder headTimeout(Duration d) { headTimeout = d; return this; }
        public Builder failedChecksPerMinute(int n) { failedChecksPerMinute = n; return this; }

        public ClientLimits build() {
            return new ClientLimits(connectionsPerClient, requestsPerClient, bodyMemoryBytes, bodyTimeout,
                    minBodyBytesPerSecond, threads, operatorThreads, passwordHashes,
                    anonymousBodyPercent, maxConnections, headTimeout,
                    failedChecksPerMinute);
        }
    }
}
