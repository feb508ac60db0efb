package org.stationtrust.server;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.stationtrust.server.internal.auth.SecretSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "serve", description = "Run the server")
final class ServeCommand implements Callable<Integer> {
    @Mixin
    DbOptions db;
    @Option(names = "--bind", defaultValue = "127.0.0.1")
    String bind;
    @Option(names = "--port", defaultValue = "8443")
    int port;
    @Option(names = "--keystore", description = "PKCS#12 keystore with the TLS key; password from "
            + "SERVER_KEYSTORE_PASSWORD or SERVER_KEYSTORE_PASSWORD_FILE")
    Path keystore;
    @Option(names = "--dev", description = "Development: generate a self-signed certificate, print its SHA-256")
    boolean dev;
    @Option(names = "--insecure-plaintext-http", description = "Plain HTTP (only behind a local TLS proxy)")
    boolean plaintext;
    @Option(names = "--ek-trust-store", description = "Directory of TPM manufacturer CA certificates (PEM)")
    Path ekTrustStore;
    @Option(names = "--attestation-interval", defaultValue = "PT24H", description = "ISO-8601 duration")
    Duration interval;
    @Option(names = "--require-enrollment-token")
    boolean requireToken;
    @Option(names = "--migrate", description = "Apply pending migrations before starting")
    boolean migrate;
    @Option(names = "--behind-tls-proxy", description = "With --insecure-plaintext-http: a local TLS proxy serves "
            + "HTTPS to every client, so session cookies are Secure and HSTS is sent")
    boolean behindTlsProxy;
    @Option(names = "--connections-per-client", defaultValue = "64",
            description = "open connections one client address may hold (raise it behind a reverse proxy)")
    int connectionsPerClient;
    @Option(names = "--requests-per-client", defaultValue = "32",
            description = "requests of one client address in progress at once (raise it behind a reverse proxy)")
    int requestsPerClient;
    @Option(names = "--body-memory", defaultValue = "67108864",
            description = "bytes of request bodies all requests together may hold in memory")
    long bodyMemory;
    @Option(names = "--failed-checks-per-client", defaultValue = "30", description = "station signature or quote "
            + "checks one client address may fail a minute (raise it behind a reverse proxy)")
    int failedChecksPerMinute;
    @Option(names = "--max-connections", defaultValue = "2048", description = "open connections of all clients "
            + "together; beyond it new ones wait until one closes")
    int maxConnections;
    @Option(names = "--head-timeout", defaultValue = "PT10S", description = "the longest a request's line and "
            + "headers may take to arrive (ISO-8601, 1-60 s); a late connection is closed")
    java.time.Duration headTimeout;
    @Option(names = "--anonymous-body-percent", defaultValue = "25", description = "share of --body-memory the "
            + "bodies of unauthenticated callers may hold together (1-100)")
    int anonymousBodyPercent;
    @Option(names = "--password-hashes", defaultValue = "0", description = "password hashes (Argon2id, 19 MiB "
            + "each) running at once; more sign-ins get 503 server_busy; 0: from processors and heap")
    int passwordHashes;
    @Option(names = "--overdue-sweep-every", defaultValue = "PT1M", description = "How often machines past the "
            + "attestation interval are marked OVERDUE (ISO-8601)")
    java.time.Duration overdueSweepEvery;
    @Option(names = "--attestation-history-retention", description = "ISO-8601 age, at least P7D (e.g. P400D): "
            + "the server removes attestation history older than this every 6 hours; unset: it keeps all of it")
    java.time.Duration historyRetention;
    @Option(names = "--webhook-allow-private-targets", description = "Allow webhook URLs on loopback and private "
            + "addresses (SSRF risk: see README, Webhooks)")
    boolean webhookPrivateTargets;
    @Option(names = "--webhook-timeout", defaultValue = "PT10S", description = "Time one webhook delivery attempt "
            + "may take (connect and answer); a delivery lease lasts three times this plus 5 s")
    java.time.Duration webhookTimeout;

    @Override
    public Integer call() throws InterruptedException {
        if (behindTlsProxy && !plaintext) {
            throw new IllegalArgumentException("--behind-tls-proxy goes with --insecure-plaintext-http");
        }
        ServerConfig.TlsMode mode = dev ? ServerConfig.TlsMode.DEV_SELF_SIGNED
                : plaintext ? (behindTlsProxy ? ServerConfig.TlsMode.PLAINTEXT_BEHIND_TLS_PROXY
                : ServerConfig.TlsMode.PLAINTEXT) : ServerConfig.TlsMode.KEYSTORE;
        if (dev && plaintext) throw new IllegalArgumentException("--dev and --insecure-plaintext-http exclude each other");
        ServerConfig.Builder b = ServerConfig.builder(db.url).database(db.user, db.password()).bind(bind, port)
                .tls(mode).ekTrustStore(ekTrustStore).attestationInterval(interval).requireEnrollmentToken(requireToken);
        b.clientLimits(ClientLimits.builder().connectionsPerClient(connectionsPerClient)
                .requestsPerClient(requestsPerClient).bodyMemoryBytes(bodyMemory).passwordHashes(passwordHashes)
                .anonymousBodyPercent(anonymousBodyPercent).maxConnections(maxConnections).headTimeout(headTimeout)
                .failedChecksPerMinute(failedChecksPerMinute).build());
        if (mode == ServerConfig.TlsMode.KEYSTORE) {
            if (keystore == null) {
                throw new IllegalArgumentException("TLS needs --keystore <file.p12> (or --dev for a self-signed "
                        + "development certificate)");
            }
            b.keystore(keystore, new SecretSource(ServerCommand.environment).read("SERVER_KEYSTORE_PASSWORD").orElseThrow(() ->
                    new IllegalArgumentException("Set SERVER_KEYSTORE_PASSWORD or SERVER_KEYSTORE_PASSWORD_FILE")));
        }
        new SecretSource(ServerCommand.environment).read("SERVER_NONCE_KEY").ifPresent(b::nonceKey);
        new SecretSource(ServerCommand.environment).read("SERVER_METRICS_TOKEN").ifPresent(b::metricsToken);
        b.overdueSweepEvery(overdueSweepEvery).historyRetention(historyRetention)
                .webhooks(new ServerConfig.WebhookPolicy(webhookPrivateTargets,
                        ServerConfig.WebhookPolicy.DEFAULT.firstRetry(), ServerConfig.WebhookPolicy.DEFAULT.maxRetry(),
                        ServerConfig.WebhookPolicy.DEFAULT.maxAttempts(), webhookTimeout));
        ServerConfig config = b.build();
        if (migrate) EnrollmentServer.migrate(config);
        EnrollmentServer server = EnrollmentServer.start(config);
        server.tlsPublicKeyPin().ifPresent(p -> System.out.println("TLS public key pin (server.public_key_pins): " + p));
        server.tlsFingerprint().ifPresent(f -> System.out.println("TLS certificate SHA-256 fingerprint: " + f));
        System.out.println("listening on " + server.baseUrl());
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stop.countDown();
        }));
        stop.await();
        return 0;
    }
}
