package org.stationtrust.agent.internal.api;

import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.config.JavalinConfig;
import java.net.InetAddress;
import org.stationtrust.agent.AgentConfig;
import org.stationtrust.logging.JsonLog;

/**
 * The local API for the registration application, on the server's pattern: bound to 127.0.0.1 only, every request
 * passing {@link RequestGuard} (loopback peer, loopback Host, bearer token), bodies bounded and read strictly into
 * request records ({@link RequestBodies}), answers as records, refusals as {@link RefusalCode}s in the product's one
 * error body ({@link Refusals}). No CORS unless one origin is configured.
 */
public final class LocalApi implements AutoCloseable {
    private static final JsonLog LOG = new JsonLog(LocalApi.class);
    private final Javalin app;

    private LocalApi(Javalin app) {
        this.app = app;
    }

    public static LocalApi start(AgentConfig.Api settings, ApiToken token, AgentOperations operations) {
        ApiRoutes routes = new ApiRoutes(operations, new RequestGuard(token, settings), new RequestBodies(settings.maxBodyBytes()));
        Refusals refusals = new Refusals(settings.maxBodyBytes());
        Javalin app = Javalin.create(config -> {
            configureServer(config, settings);
            // Javalin 7 takes every route at configuration time.
            routes.register(config.routes);
            refusals.register(config.routes);
        });
        app.start(InetAddress.getLoopbackAddress().getHostAddress(), settings.port());
        LOG.info("api.started", "address", "127.0.0.1", "port", app.port(),
                "cors", settings.corsOrigin().orElse("none"));
        return new LocalApi(app);
    }

    private static void configureServer(JavalinConfig config, AgentConfig.Api settings) {
        config.startup.showJavalinBanner = false;
        config.http.maxRequestSize = settings.maxBodyBytes();
        config.http.generateEtags = false;
        // Answers are mostly base64 of biometric images and signatures: compressing them costs CPU and saves little.
        config.http.compressionStrategy = CompressionStrategy.NONE;
        settings.corsOrigin().ifPresent(origin ->
                config.bundledPlugins.enableCors(cors -> cors.addRule(rule -> rule.allowHost(origin))));
    }

    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        app.stop();
    }
}
