package org.stationtrust.server;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.stationtrust.server.internal.store.AttestationHistory;

/**
 * Validated server configuration, loaded once. Defaults are the secure choice: TLS on, loopback bind,
 * short nonces and sessions, fail-closed attestation. Build with {@link #builder(String)}.
 */
public record ServerConfig(String jdbcUrl, String dbUser, String dbPassword, String bindHost, int port,
                           TlsMode tlsMode, Path keystore, char[] keystorePassword, Path ekTrustStore,
                           Duration attestationInterval, Duration nonceTtl, Duration requestSkew,
                           Duration sessionTtl, int loginPerMinute, int enrollPerMinute, int noncePerMinute,
                           boolean requireEnrollmentToken, int maxBodyBytes, char[] nonceKey, char[] metricsToken,
                           Duration overdueSweepEvery, Duration historyRetention, WebhookPolicy webhooks,
                           ClientLimits clientLimits, boolean metricsRecorded) {

    /** How the listener speaks: TLS from a keystore, TLS with a generated dev certificate, or plain HTTP. */
    public enum TlsMode {
        KEYSTORE, DEV_SELF_SIGNED,
        /** Plain HTTP: only behind a TLS-terminating proxy on the same host, or in tests. Logged loudly. */
        PLAINTEXT,
        /**
         * Plain HTTP to a TLS-terminating proxy on the same host, which speaks HTTPS to every client: the session
         * cookies are marked Secure and HSTS is sent, as under TLS.
         */
        PLAINTEXT_BEHIND_TLS_PROXY;

        /** Whether clients reach the server over HTTPS (directly or through the proxy). */
        public boolean clientsUseHttps() {
            return this != PLAINTEXT;
        }
    }

    /**
     * How webhooks are delivered: whether their URLs may name loopback and private addresses (off: SSRF), the first
     * retry delay and its cap (doubling in between), the attempts before a delivery is given up, and the timeout of
     * one attempt (connection and answer).
     */
    public record WebhookPolicy(boolean allowPrivateTargets, Duration firstRetry, Duration maxRetry, int maxAttempts,
                                Duration timeout) {
        public static final WebhookPolicy DEFAULT = new WebhookPolicy(false, Duration.ofSeconds(10),
                Duration.ofMinutes(30), 30, Duration.ofSeconds(10));

        public WebhookPolicy {
            requirePositive("webhook firstRetry", firstRetry);
            requirePositive("webhook maxRetry", maxRetry);
            requirePositive("webhook timeout", timeout);
            if (maxRetry.compareTo(firstRetry) < 0) throw new IllegalArgumentException("webhook maxRetry < firstRetry");
            if (maxAttempts < 1 || maxAttempts > 1000) throw new IllegalArgumentException("webhook maxAttempts 1..1000");
            if (timeout.compareTo(Duration.ofMinutes(2)) > 0) {
                throw new IllegalArgumentException("webhook timeout above 2 minutes holds a delivery lease too long");
            }
        }

        public WebhookPolicy allowingPrivateTargets(boolean allowed) {
            return new WebhookPolicy(allowed, firstRetry, maxRetry, maxAttempts, timeout);
        }
    }

    public ServerConfig {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        Objects.requireNonNull(webhooks, "webhooks");
        Objects.requireNonNull(tlsMode, "tlsMode");
        if (!jdbcUrl.startsWith("jdbc:sqlite:") && !jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("Database URL must start with jdbc:sqlite: or jdbc:postgresql:");
        }
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port must be 0..65535, was " + port);
        if (tlsMode == TlsMode.KEYSTORE && (keystore == null || keystorePassword == null)) {
            throw new IllegalArgumentException("TLS mode KEYSTORE needs --keystore and SERVER_KEYSTORE_PASSWORD "
                    + "(or SERVER_KEYSTORE_PASSWORD_FILE)");
        }
        requirePositive("attestationInterval", attestationInterval);
        requirePositive("nonceTtl", nonceTtl);
        requirePositive("requestSkew", requestSkew);
        requirePositive("sessionTtl", sessionTtl);
        if (requestSkew.compareTo(Duration.ofMinutes(10)) > 0) {
            throw new IllegalArgumentException("requestSkew above 10 minutes weakens replay protection");
        }
        if (loginPerMinute < 1 || enrollPerMinute < 1 || noncePerMinute < 1) {
            throw new IllegalArgumentException("rate limits must be at least 1 per minute");
        }
        if (maxBodyBytes < 1024 || maxBodyBytes > 1024 * 1024) {
            throw new IllegalArgumentException("maxBodyBytes must be 1 KiB .. 1 MiB");
        }
        Objects.requireNonNull(clientLimits, "clientLimits");
        if (nonceKey != null && nonceKey.length < 32) {
            throw new IllegalArgumentException("SERVER_NONCE_KEY must be at least 32 characters (e.g. the output of "
                    + "'openssl rand -base64 33'), was " + nonceKey.length);
        }
        if (metricsToken != null && metricsToken.length < 32) {
            throw new IllegalArgumentException("SERVER_METRICS_TOKEN must be at least 32 characters (e.g. the output of "
                    + "'openssl rand -base64 33'), was " + metricsToken.length);
        }
        requirePositive("overdueSweepEvery", overdueSweepEvery);
        if (historyRetention != null) {
            AttestationHistory.requireMinimumAge("attestation-history-retention", historyRetention);
        }
    }

    private static void requirePositive(String name, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) throw new IllegalArgumentException(name + " must be positive");
    }

    public static Builder builder(String jdbcUrl) {
        return new Builder(jdbcUrl);
    }

    public Builder toBuilder() {
        Builder b = new Builder(jdbcUrl);
        b.dbUser = dbUser;
        b.dbPassword = dbPassword;
        b.bindHost = bindHost;
        b.port = port;
        b.tlsMode = tlsMode;
        b.keystore = keystore;
        b.keystorePassword = keystorePassword;
        b.ekTrustStore = ekTrustStore;
        b.attestationInterval = attestationInterval;
        b.nonceTtl = nonceTtl;
        b.requestSkew = requestSkew;
        b.sessionTtl = sessionTtl;
        b.loginPerMinute = loginPerMinute;
        b.enrollPerMinute = enrollPerMinute;
        b.noncePerMinute = noncePerMinute;
        b.requireEnrollmentToken = requireEnrollmentToken;
        b.maxBodyBytes = maxBodyBytes;
        b.nonceKey = nonceKey;
        b.clientLimits = clientLimits;
        b.metricsToken = metricsToken;
        b.overdueSweepEvery = overdueSweepEvery;
        b.historyRetention = historyRetention;
        b.webhooks = webhooks;
        b.metricsRecorded = metricsRecorded;
        return b;
    }

    @Override
    public String toString() {
        return "ServerConfig[db=" + jdbcUrl.replaceAll("password=[^&]*", "password=***") + ", bind=" + bindHost + ":"
                + port + ", tls=" + tlsMode + ", ekTrustStore=" + ekTrustStore + "]";
    }

    public static final class Builder {
        private final String jdbcUrl;
        private String dbUser;
        private String dbPassword;
        private String bindHost = "127.0.0.1";
        private int port = 8443;
        private TlsMode tlsMode = TlsMode.KEYSTORE;
        private Path keystore;
        private char[] keystorePassword;
        private Path ekTrustStore;
        private Duration attestationInterval = Duration.ofHours(24);
        private Duration nonceTtl = Duration.ofMinutes(2);
        private Duration requestSkew = Duration.ofSeconds(60);
        private Duration sessionTtl = Duration.ofMinutes(30);
        private int loginPerMinute = 10;
        private int enrollPerMinute = 20;
        private int noncePerMinute = 60;
        private boolean requireEnrollmentToken;
        private int maxBodyBytes = 64 * 1024;
        private char[] nonceKey;
        private ClientLimits clientLimits = ClientLimits.DEFAULTS;
        private char[] metricsToken;
        private Duration overdueSweepEvery = Duration.ofMinutes(1);
        private Duration historyRetention;
        private WebhookPolicy webhooks = WebhookPolicy.DEFAULT;
        private boolean metricsRecorded = true;

        private Builder(String jdbcUrl) {
            this.jdbcUrl = jdbcUrl;
        }

        public Builder database(String user, String password) { dbUser = user; dbPassword = password; return this; }
        public Builder bind(String host, int p) { bindHost = host; port = p; return this; }
        public Builder tls(TlsMode mode) { tlsMode = mode; return this; }
        public Builder keystore(Path file, char[] password) { keystore = file; keystorePassword = password; return this; }
        public Builder ekTrustStore(Path dir) { ekTrustStore = dir; return this; }
        public Builder attestationInterval(Duration d) { attestationInterval = d; return this; }
        public Builder nonceTtl(Duration d) { nonceTtl = d; return this; }
        public Builder requestSkew(Duration d) { requestSkew = d; return this; }
        public Builder sessionTtl(Duration d) { sessionTtl = d; return this; }
        public Builder rateLimits(int login, int enroll, int nonce) {
            loginPerMinute = login;
            enrollPerMinute = enroll;
            noncePerMinute = nonce;
            return this;
        }
        public Builder requireEnrollmentToken(boolean required) { requireEnrollmentToken = required; return this; }
        public Builder maxBodyBytes(int n) { maxBodyBytes = n; return this; }
        /**
         * The secret attestation nonces are MACed with (SERVER_NONCE_KEY or SERVER_NONCE_KEY_FILE); every instance
         * on one database needs the same. Null: a random key per process, so nonces hold only on this instance.
         */
        public Builder nonceKey(char[] key) { nonceKey = key; return this; }
        public Builder clientLimits(ClientLimits limits) { clientLimits = limits; return this; }
        /** A bearer token only for {@code GET /metrics} (SERVER_METRICS_TOKEN or _FILE); null: auditors' tokens only. */
        public Builder metricsToken(char[] token) { metricsToken = token; return this; }
        /** How often the overdue sweep looks for machines whose last success is older than the interval. */
        public Builder overdueSweepEvery(Duration d) { overdueSweepEvery = d; return this; }
        /**
         * How old attestation history may grow before the server removes it (server-enroll's own pruning, every 6 hours); null, the
         * default: the server removes none (docs/operations.md, "Attestation history").
         */
        public Builder historyRetention(Duration age) { historyRetention = age; return this; }
        /** Webhook delivery policy; private (loopback, RFC 1918...) targets are refused unless it allows them (SSRF). */
        public Builder webhooks(WebhookPolicy policy) { webhooks = policy; return this; }
        /**
         * False turns every meter into a no-op (GET /metrics then answers an empty page): only for the benchmark that
         * measures what recording metrics costs an attestation. Not a command-line option.
         */
        public Builder metricsRecorded(boolean recorded) { metricsRecorded = recorded; return this; }

        public ServerConfig build() {
            return new ServerConfig(jdbcUrl, dbUser, dbPassword, bindHost, port, tlsMode, keystore, keystorePassword,
                    ekTrustStore, attestationInterval, nonceTtl, requestSkew, sessionTtl, loginPerMinute,
                    enrollPerMinute, noncePerMinute, requireEnrollmentToken, maxBodyBytes, nonceKey, metricsToken,
                    overdueSweepEvery, historyRetention, webhooks, clientLimits, metricsRecorded);
        }
    }
}
