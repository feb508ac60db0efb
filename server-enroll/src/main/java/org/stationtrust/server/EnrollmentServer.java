package org.stationtrust.server;

import io.javalin.Javalin;
import io.javalin.config.RoutesConfig;
import io.javalin.json.JavalinJackson;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.stationtrust.logging.JsonLog;
import org.stationtrust.server.internal.api.AttestationHandler;
import org.stationtrust.server.internal.api.Components;
import org.stationtrust.server.internal.api.ErrorResponses;
import org.stationtrust.server.internal.api.StationApi;
import org.stationtrust.server.internal.api.Views;
import org.stationtrust.server.internal.attest.HistoryRetention;
import org.stationtrust.server.internal.attest.OverdueSweep;
import org.stationtrust.server.internal.auth.AdminRoute;
import org.stationtrust.server.internal.auth.RouteGuard;
import org.stationtrust.server.internal.http.AccessLog;
import org.stationtrust.server.internal.http.ConnectionLimiter;
import org.stationtrust.server.internal.http.HeadDeadline;
import org.stationtrust.server.internal.http.RequestGate;
import org.stationtrust.server.internal.http.ResponseHeaders;
import org.stationtrust.server.internal.http.RouteTable;
import org.stationtrust.server.internal.http.Routes;
import org.stationtrust.server.internal.http.TlsIdentity;
import org.stationtrust.server.internal.metrics.MetricsEndpoint;
import org.stationtrust.server.internal.metrics.ServerMetrics;
import org.stationtrust.server.internal.notify.WebhookCourier;
import org.stationtrust.server.internal.store.AttestationHistory;
import org.stationtrust.server.internal.store.Database;
import org.stationtrust.server.internal.store.FleetCounts;
import org.stationtrust.server.internal.store.SchemaNewerThanServer;

/**
 * A running enrollment server: HTTPS (or dev self-signed, or plain HTTP for tests), the station API, the
 * operator API, the admin page, health and readiness. {@link #start} migrates nothing: run {@code migrate}
 * first (or {@link #migrate}).
 */
public final class EnrollmentServer implements AutoCloseable {
    private static final JsonLog LOG = new JsonLog(EnrollmentServer.class);
    /** An enrollment whose credential is not activated within a day is rejected by the janitor. */
    private static final long UNACTIVATED_LIFETIME_MILLIS = 24 * 3600 * 1000L;
    /** Connections accepted by the kernel and not yet by the server (docs/reliability.md, "Hostile clients"). */
    private static final int ACCEPT_QUEUE = 1024;

    private final Javalin app;
    private final Components components;
    private final Optional<TlsIdentity> tls;
    private final ScheduledExecutorService janitor;
    private final ScheduledExecutorService headClock;
    private final WebhookCourier courier;
    private final List<String> registeredRoutes;
    private final List<AdminRoute> adminRoutes;

    private EnrollmentServer(Javalin app, Components components, Optional<TlsIdentity> tls,
                             ScheduledExecutorService janitor, ScheduledExecutorService headClock,
                             WebhookCourier courier, List<String> registeredRoutes,
                             List<AdminRoute> adminRoutes) {
        this.courier = courier;
        this.app = app;
        this.components = components;
        this.tls = tls;
        this.janitor = janitor;
        this.headClock = headClock;
        this.registeredRoutes = registeredRoutes;
        this.adminRoutes = adminRoutes;
    }

    /** Applies pending database migrations; returns the versions applied. */
    public static List<Integer> migrate(ServerConfig config) {
        try (Database db = Database.open(config.jdbcUrl(), config.dbUser(), config.dbPassword())) {
            return new org.stationtrust.server.internal.store.Migrations(db).apply();
        }
    }

    public static EnrollmentServer start(ServerConfig config) {
        ServerMetrics metrics = ServerMetrics.create(config.metricsRecorded());
        Database db = Database.open(config.jdbcUrl(), config.dbUser(), config.dbPassword(), metrics.registry(),
                metrics.groupCommitObserver());
        try {
            Components c = Components.create(config, db, metrics);
            int current = c.migrations().currentVersion();
            if (current > c.migrations().latestVersion()) {
                throw new SchemaNewerThanServer(current, c.migrations().latestVersion());
            }
            if (current != c.migrations().latestVersion()) {
                throw new IllegalStateException("Database schema is at version " + current + " but this server needs "
                        + c.migrations().latestVersion() + "; run: server-enroll migrate");
            }
            Optional<TlsIdentity> tls = switch (config.tlsMode()) {
                case KEYSTORE -> Optional.of(TlsIdentity.fromKeystore(config.keystore(), config.keystorePassword()));
                case DEV_SELF_SIGNED -> Optional.of(TlsIdentity.selfSigned());
                case PLAINTEXT, PLAINTEXT_BEHIND_TLS_PROXY -> Optional.empty();
            };
            List<String> registered = new java.util.concurrent.CopyOnWriteArrayList<>();
            org.stationtrust.server.internal.web.AdminPage page =
                    ServerRoutes.adminPage(c, config.tlsMode().clientsUseHttps());
            List<AdminRoute> adminRoutes = routeTable(c, page);
            // Javalin 7 takes every route at configuration time (cfg.routes), before the server is built.
            ErrorResponses errors = ServerRoutes.errors(c);
            StationApi stationApi = ServerRoutes.stationApi(c);
            ClientLimits limits = config.clientLimits();
            boolean https = config.tlsMode().clientsUseHttps();
            ConnectionLimiter connections = new ConnectionLimiter(limits.connectionsPerClient());
            HeadDeadline heads = new HeadDeadline(limits.headTimeout());
            AccessLog access = new AccessLog(EnrollmentServer.class);
            registered.addAll(AttestationHandler.ROUTES);
            Javalin app = Javalin.create(cfg -> {
                cfg.startup.showJavalinBanner = false;
                QueuedThreadPool threads = new QueuedThreadPool(limits.threads(), Math.min(8, limits.threads()), 60_000);
                threads.setName("server-enroll-http");
                cfg.jetty.threadPool = threads;
                cfg.events.handlerAdded(h -> registered.add(h.getHttpMethod().name() + " " + h.getPath()));
                cfg.http.maxRequestSize = 9L * 1024 * 1024;
                cfg.jsonMapper(new JavalinJackson(new com.fasterxml.jackson.databind.ObjectMapper(), false));
                cfg.jetty.addConnector((server, httpConfig) -> {
                    ServerConnector connector = connector(server, httpConfig, config, tls, connections);
                    connector.addEventListener(heads);
                    // all clients together: beyond it Jetty stops accepting until a connection closes
                    server.addBean(new NetworkConnectionLimit(limits.maxConnections(), connector));
                    return connector;
                });
                // Request counts and latency by method, status and outcome only (no path: bounded labels), gate refusals
                // included; the request gate inside it, the attestation handler inside that; Javalin places its servlet
                // handler innermost.
                cfg.jetty.modifyServer(server -> {
                    // Javalin builds its Jetty server when it starts, after this configuration registered every route,
                    // so the gate's table is built once, complete, and never changes.
                    RequestGate gate = new RequestGate(limits, RouteTable.of(registered), stationApi.prechecks(),
                            errors::gateRefused, https);
                    // the attestation routes answer below the gate, before the servlet layer (AttestationHandler says why)
                    gate.setHandler(new AttestationHandler(ServerRoutes.attestationRoutes(c), errors, access, https));
                    var timed = new io.micrometer.jetty12.server.TimedHandler(metrics.registry(),
                            io.micrometer.core.instrument.Tags.empty());
                    timed.setHandler(gate);
                    server.setHandler(timed);
                });
                RoutesConfig routes = cfg.routes;
                errors.register(routes);
                pipeline(routes, https, access);
                routes.get("/health", ctx -> ctx.json(new Views.Health("ok")));
                routes.get("/ready", ctx -> {
                    boolean ready = db.isReachable() && c.migrations().currentVersion() == c.migrations().latestVersion();
                    ctx.status(ready ? 200 : 503).json(new Views.Health(ready ? "ready" : "not-ready"));
                });
                stationApi.register(routes);
                new MetricsEndpoint(metrics, new FleetCounts(db, 1_000), c.auth(), config.metricsToken()).register(routes);
                page.registerPublic(routes);
                ServerRoutes.adminApi(c).registerPublic(routes);
                new RouteGuard(c.auth()).register(routes, adminRoutes);
            });
            app.start();
            ScheduledExecutorService headClock = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "server-enroll-head-deadline");
                t.setDaemon(true);
                return t;
            });
            headClock.scheduleWithFixedDelay(() -> {
                try {
                    heads.check();
                } catch (RuntimeException e) {
                    LOG.warn("head_deadline_check_failed", "error", String.valueOf(e.getMessage()));
                }
            }, 250, 250, TimeUnit.MILLISECONDS);
            ScheduledExecutorService janitor = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "server-enroll-janitor");
                t.setDaemon(true);
                return t;
            });
            janitor.scheduleWithFixedDelay(() -> {
                try {
                    long now = System.currentTimeMillis();
                    c.nonces().purgeExpired(now);
                    c.credentials().purgeExpired(now);
                    c.enrollment().expireUnactivated(now - UNACTIVATED_LIFETIME_MILLIS);
                } catch (RuntimeException e) {
                    LOG.warn("purge_failed", "error", e.getMessage());
                }
            }, 1, 5, TimeUnit.MINUTES);
            janitor.scheduleWithFixedDelay(() -> {
                try {
                    c.refusals().flush(false);
                } catch (RuntimeException e) {
                    LOG.warn("refusal_audit_flush_failed", "error", e.getMessage());
                }
            }, 10, 10, TimeUnit.SECONDS);
            OverdueSweep sweep = new OverdueSweep(db, c.attestationRecords(), c.audit(), c.webhooks(), config.attestationInterval(),
                    java.time.Clock.systemUTC());
            long every = config.overdueSweepEvery().toMillis();
            janitor.scheduleWithFixedDelay(sweep::runLogged, every, every, TimeUnit.MILLISECONDS);
            if (config.historyRetention() != null) {
                HistoryRetention retention = new HistoryRetention(new AttestationHistory(db), c.audit(),
                        config.historyRetention(), java.time.Clock.systemUTC());
                janitor.scheduleWithFixedDelay(retention::runLogged, HistoryRetention.FIRST_RUN.toMillis(),
                        HistoryRetention.EVERY.toMillis(), TimeUnit.MILLISECONDS);
            }
            WebhookCourier courier = new WebhookCourier(c.webhooks().store(), c.audit(), metrics, config.webhooks())
                    .start();
            EnrollmentServer s = new EnrollmentServer(app, c, tls, janitor, headClock, courier, List.copyOf(registered),
                    List.copyOf(adminRoutes));
            if (config.tlsMode() == ServerConfig.TlsMode.DEV_SELF_SIGNED) {
                LOG.warn("development_mode", "message", "self-signed TLS certificate generated at start: for "
                        + "development only; stations must pin the public key pin below");
            }
            if (config.tlsMode() == ServerConfig.TlsMode.PLAINTEXT
                    || config.tlsMode() == ServerConfig.TlsMode.PLAINTEXT_BEHIND_TLS_PROXY) {
                LOG.warn("plaintext_http", "message", "TLS is OFF: use only behind a local TLS proxy or in tests");
            }
            if (config.nonceKey() == null) {
                LOG.warn("nonce_key_random", "message", "SERVER_NONCE_KEY is not set: attestation nonces are MACed "
                        + "with a random key of this process, so they hold only on this instance and not across a "
                        + "restart; for several instances set SERVER_NONCE_KEY or SERVER_NONCE_KEY_FILE, the same on each");
            }
            LOG.info("started", "url", s.baseUrl(), "tls", config.tlsMode().name(), "database", db.kind().name(),
                    "tpmCaDirectory", config.ekTrustStore() == null ? "none (EK certificates cannot be verified)"
                            : config.ekTrustStore().toString());
            tls.ifPresent(t -> LOG.info("tls_identity", "publicKeyPin", t.publicKeyPin(), "certificateSha256", t.fingerprint()));
            return s;
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }

    /** Every operator route, API and page: the single table the access test walks. */
    static List<AdminRoute> routeTable(Components c, org.stationtrust.server.internal.web.AdminPage page) {
        List<AdminRoute> all = new ArrayList<>(ServerRoutes.adminApi(c).routes());
        all.addAll(ServerRoutes.bootApi(c).routes());
        all.addAll(ServerRoutes.webhookApi(c).routes());
        all.addAll(page.routes());
        all.addAll(ServerRoutes.webhookPage(c).routes());
        return all;
    }

    private static ServerConnector connector(org.eclipse.jetty.server.Server server, HttpConfiguration httpConfig,
                                             ServerConfig config, Optional<TlsIdentity> tls,
                                             ConnectionLimiter connections) {
        ServerConnector connector;
        if (tls.isPresent()) {
            SslContextFactory.Server ssl = new SslContextFactory.Server();
            ssl.setKeyStore(tls.get().keyStore());
            ssl.setKeyStorePassword(new String(tls.get().password()));
            ssl.setIncludeProtocols("TLSv1.3", "TLSv1.2");
            // TLS 1.2 only with AEAD suites (GCM, ChaCha20-Poly1305): no CBC (Lucky13-style padding oracles).
            ssl.addExcludeCipherSuites("^.*_CBC_.*$");
            HttpConfiguration https = new HttpConfiguration(httpConfig);
            SecureRequestCustomizer src = new SecureRequestCustomizer();
            src.setSniHostCheck(false);
            https.addCustomizer(src);
            connector = new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"),
                    new HttpConnectionFactory(https));
        } else {
            connector = new ServerConnector(server, new HttpConnectionFactory(httpConfig));
        }
        connector.addEventListener(connections);
        // the listen backlog: Java's default of 50 drops the connections of a burst of stations (they retry a second
        // later); the kernel caps it at net.core.somaxconn
        connector.setAcceptQueueSize(ACCEPT_QUEUE);
        connector.setHost(config.bindHost());
        connector.setPort(config.port());
        return connector;
    }

    private static void pipeline(RoutesConfig app, boolean https, AccessLog access) {
        app.before(ctx -> {
            String requestId = ResponseHeaders.newRequestId();
            ctx.attribute("requestId", requestId);
            ctx.attribute("startNanos", System.nanoTime());
            ResponseHeaders.apply(ctx::header, requestId, https);
        });
        app.after(ctx -> {
            Long start = ctx.attribute("startNanos");
            access.answered(ctx.attribute("requestId"), ctx.method().name(), Routes.matchedPath(ctx), ctx.statusCode(),
                    ctx.ip(), start == null ? 0 : start);
        });
    }

    /** Every HTTP route registered, as "METHOD /path" (for the OpenAPI and route-table tests). */
    List<String> registeredRoutes() {
        return registeredRoutes;
    }

    /** The operator route table in force. */
    List<AdminRoute> adminRoutes() {
        return adminRoutes;
    }

    /**
     * Writes the anonymous refusals counted so far to the audit chain now, one row per (reason, source, minute),
     * instead of waiting for their minute to end; returns the rows written (shutdown does this too).
     */
    public int flushAnonymousRefusals() {
        return components.refusals().flush(true);
    }

    public int port() {
        return app.port();
    }

    public String baseUrl() {
        return (tls.isPresent() ? "https" : "http") + "://" + components.config().bindHost() + ":" + port();
    }

    /** The SHA-256 fingerprint of the TLS certificate, when TLS is on. */
    public Optional<String> tlsFingerprint() {
        return tls.map(TlsIdentity::fingerprint);
    }

    /** What stations pin ({@code sha256/<base64>} of the TLS key's SubjectPublicKeyInfo), when TLS is on. */
    public Optional<String> tlsPublicKeyPin() {
        return tls.map(TlsIdentity::publicKeyPin);
    }

    public Optional<java.security.cert.X509Certificate> tlsCertificate() {
        return tls.map(TlsIdentity::certificate);
    }

    @Override
    public void close() {
        janitor.shutdownNow();
        headClock.shutdownNow();
        courier.close();
        app.stop();
        try {
            components.refusals().flush(true);
        } catch (RuntimeException e) {
            LOG.warn("refusal_audit_flush_failed", "error", e.getMessage());
        }
        components.db().close();
    }
}
