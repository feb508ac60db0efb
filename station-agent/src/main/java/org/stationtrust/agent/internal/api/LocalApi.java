package org.stationtrust.agent.internal.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stationtrust.agent.AgentConfig;

/**
 * The local API for the registration application: bound to 127.0.0.1 only, every request authenticated
 * by the bearer token, Host header checked against loopback names (no DNS rebinding from a browser),
 * bodies bounded, no CORS unless one origin is configured. Refusals are JSON {@code {error, reason}}.
 */
public final class LocalApi implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalApi.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String STEPS = "captureSteps";
    private final Javalin app;

    private LocalApi(Javalin app) {
        this.app = app;
    }

    public static LocalApi start(AgentConfig.Api settings, ApiToken token, AgentOperations operations) {
        Javalin app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.http.maxRequestSize = settings.maxBodyBytes();
            config.http.generateEtags = false;
            // Answers are mostly base64 of biometric images and signatures: compressing them costs CPU and saves little.
            config.http.compressionStrategy = io.javalin.compression.CompressionStrategy.NONE;
            settings.corsOrigin().ifPresent(origin ->
                    config.bundledPlugins.enableCors(cors -> cors.addRule(rule -> rule.allowHost(origin))));
            // Javalin 7 takes every route at configuration time.
            io.javalin.config.RoutesConfig routes = config.routes;
            routes.before(ctx -> {
                CaptureSteps steps = new CaptureSteps();
                ctx.attribute(STEPS, steps);
                ctx.attribute("requestId", UUID.randomUUID().toString());
                ctx.header("Cache-Control", "no-store");
                ctx.header("X-Content-Type-Options", "nosniff");
                guard(ctx, token, settings);
                steps.mark("guard");
            });
            routes.get("/v1/status", ctx -> ctx.json(operations.status()));
            routes.get("/v1/devices", ctx -> ctx.json(Map.of("devices", operations.devices())));
            routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                    .result(operations.metrics()));
            routes.post("/v1/captures", ctx -> {
                CaptureSteps steps = java.util.Objects.requireNonNull(ctx.attribute(STEPS));
                CaptureOrder order;
                try {
                    order = CaptureOrder.fromJson(body(ctx, settings));
                } catch (ApiRefusal e) {
                    operations.orderRefused(e.code());
                    throw e;
                }
                steps.mark("parse");
                Map<String, Object> answer = operations.capture(order, steps);
                writeJson(ctx, answer, steps);
            });
            routes.post("/v1/enrollment", ctx -> {
                JsonNode body = body(ctx, settings);
                JsonNode oneTime = body.get("token");
                if (oneTime != null && (!oneTime.isTextual() || oneTime.asText().length() > 200)) {
                    throw new ApiRefusal(400, "bad_token", "token must be a string of at most 200 characters");
                }
                ctx.json(operations.enroll(java.util.Optional.ofNullable(oneTime).map(JsonNode::asText)));
            });
            routes.post("/v1/attestations", ctx -> ctx.status(202).json(operations.attestNow()));
            routes.post("/v1/key-rotation", ctx -> ctx.json(operations.rotateKey()));
            routes.get("/v1/devices/{id}/stream", ctx -> {
                int subId = parseSubId(ctx.queryParam("deviceSubId"));
                String boundary = "frame-" + UUID.randomUUID();
                ctx.contentType("multipart/x-mixed-replace; boundary=" + boundary);
                operations.stream(ctx.pathParam("id"), subId, ctx.res().getOutputStream(), boundary);
            });
            routes.exception(ApiRefusal.class, (e, ctx) -> refuse(ctx, e.status(), e.code(), e.getMessage()));
            routes.exception(HttpResponseException.class, (e, ctx) -> {
                switch (e.getStatus()) {
                    case 404 -> refuse(ctx, 404, "not_found", "no such endpoint: " + ctx.method() + " " + ctx.path());
                    case 405 -> refuse(ctx, 405, "method_not_allowed", ctx.method() + " is not allowed on " + ctx.path());
                    case 413 -> refuse(ctx, 413, "body_too_large", "request body larger than " + settings.maxBodyBytes() + " bytes");
                    default -> refuse(ctx, e.getStatus(), "http_" + e.getStatus(), e.getMessage());
                }
            });
            // The state directory failing a write (disk full, read-only, permissions) is the operator's to fix, not a crash.
            routes.exception(java.io.UncheckedIOException.class, (e, ctx) -> {
                LOG.error("event=api.storage_error requestId={} message=\"{}\"", (Object) ctx.attribute("requestId"), e.getMessage());
                refuse(ctx, 507, "storage_unavailable", "the agent could not write to its state directory: " + e.getMessage());
            });
            routes.exception(Exception.class, (e, ctx) -> {
                if (causedBySqlite(e)) {
                    // The queue or the registration chains (SQLite) could not be written: disk full or read-only.
                    LOG.error("event=api.storage_error requestId={} message=\"{}\"", (Object) ctx.attribute("requestId"), e.getMessage());
                    refuse(ctx, 507, "storage_unavailable", "the agent could not write to its state directory: " + e.getMessage()
                            + "; check disk space and permissions");
                    return;
                }
                LOG.error("event=api.internal_error requestId={} type={} message=\"{}\"", (Object) ctx.attribute("requestId"),
                        e.getClass().getSimpleName(), e.getMessage());
                refuse(ctx, 500, "internal_error", "the agent failed unexpectedly (requestId " + ctx.attribute("requestId")
                        + "); see the agent log");
            });
        });
        app.start(InetAddress.getLoopbackAddress().getHostAddress(), settings.port());
        LOG.info("event=api.started address=127.0.0.1 port={} cors={}", app.port(), settings.corsOrigin().orElse("none"));
        return new LocalApi(app);
    }

    private static boolean causedBySqlite(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLException) return true;
        }
        return false;
    }

    public int port() {
        return app.port();
    }

    private static void guard(Context ctx, ApiToken token, AgentConfig.Api settings) throws ApiRefusal {
        if (!isLoopback(ctx.req().getRemoteAddr())) {
            throw new ApiRefusal(403, "not_loopback", "the local API answers only on 127.0.0.1; the request came from another address");
        }
        String host = Optional.ofNullable(ctx.header("Host")).orElse("");
        if (!isLoopbackHost(host)) {
            throw new ApiRefusal(403, "bad_host", "the Host header must name 127.0.0.1 or localhost (DNS rebinding protection)");
        }
        if (ctx.method().name().equals("OPTIONS") && settings.corsOrigin().isPresent()) return;
        String auth = ctx.header("Authorization");
        if (auth == null || auth.isBlank()) {
            throw new ApiRefusal(401, "missing_token", "send Authorization: Bearer <token>; the token is in the agent's state"
                    + " directory (file " + ApiToken.FILE_NAME + ")");
        }
        if (!auth.startsWith("Bearer ") || !token.matches(auth.substring(7).trim())) {
            throw new ApiRefusal(401, "wrong_token", "the bearer token does not match the agent's token; re-read the "
                    + ApiToken.FILE_NAME + " file (it changes when the state directory is recreated)");
        }
    }

    static boolean isLoopback(String address) {
        try {
            return address != null && InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    static boolean isLoopbackHost(String hostHeader) {
        String host = hostHeader.replaceFirst(":\\d{1,5}$", "");
        return host.equals("127.0.0.1") || host.equals("localhost") || host.equals("[::1]");
    }

    /** How much of an oversized body is read and dropped so that its sender receives the 413. */
    private static final long DRAIN_LIMIT = 4L * 1024 * 1024;

    private static void drain(java.io.InputStream in) throws java.io.IOException {
        byte[] sink = new byte[8192];
        long dropped = 0;
        int n;
        while (dropped < DRAIN_LIMIT && (n = in.read(sink)) > 0) dropped += n;
    }

    private static JsonNode body(Context ctx, AgentConfig.Api settings) throws ApiRefusal {
        String type = Optional.ofNullable(ctx.contentType()).orElse("");
        if (!type.startsWith("application/json")) {
            throw new ApiRefusal(415, "not_json", "expected Content-Type: application/json, saw '" + type + "'");
        }
        byte[] bytes;
        try {
            java.io.InputStream in = ctx.req().getInputStream();
            bytes = in.readNBytes(settings.maxBodyBytes() + 1);
            if (bytes.length > settings.maxBodyBytes()) {
                // Jetty 12 closes a connection whose body was left unread, and a client still sending it then sees a
                // reset instead of our answer: read and drop the rest, up to a bound, before refusing.
                drain(in);
                throw new ApiRefusal(413, "body_too_large", "request body larger than " + settings.maxBodyBytes() + " bytes");
            }
        } catch (java.io.IOException e) {
            throw new ApiRefusal(400, "body_unreadable", "the request body could not be read");
        }
        try {
            JsonNode node = JSON.readTree(bytes);
            if (node == null || !node.isObject()) throw new ApiRefusal(400, "malformed_json", "expected a JSON object");
            return node;
        } catch (java.io.IOException e) {
            throw new ApiRefusal(400, "malformed_json", "the body is not valid JSON");
        }
    }

    /**
     * Writes a capture's answer straight to the connection: serialised once into bytes (no intermediate String),
     * with its length, and the steps' timings in a {@code Server-Timing} header; the write itself is logged.
     */
    private static void writeJson(Context ctx, Map<String, Object> answer, CaptureSteps steps) throws java.io.IOException {
        byte[] json = JSON.writeValueAsBytes(answer);
        steps.mark("json");
        ctx.status(200);
        ctx.header("Server-Timing", steps.serverTiming());
        jakarta.servlet.http.HttpServletResponse response = ctx.res();
        response.setContentType("application/json");
        response.setContentLength(json.length);
        long started = System.nanoTime();
        java.io.OutputStream out = response.getOutputStream();
        out.write(json);
        out.flush();
        steps.mark("write");
        LOG.debug("event=capture.answered requestId={} bytes={} writeMs={} totalMs={}", (Object) ctx.attribute("requestId"),
                json.length, String.format(java.util.Locale.ROOT, "%.3f", (System.nanoTime() - started) / 1e6),
                String.format(java.util.Locale.ROOT, "%.3f", steps.totalMillis()));
    }

    private static int parseSubId(String value) throws ApiRefusal {
        if (value == null) return 0;
        try {
            int n = Integer.parseInt(value);
            if (n < 0 || n > 3) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw new ApiRefusal(400, "bad_device_sub_id", "deviceSubId must be 0-3");
        }
    }

    private static void refuse(Context ctx, int status, String code, String reason) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", code);
        body.put("reason", reason);
        body.put("requestId", ctx.attribute("requestId"));
        ctx.status(status).json(body);
        LOG.info("event=api.refused requestId={} method={} path={} status={} error={}", (Object) ctx.attribute("requestId"),
                ctx.method(), ctx.path(), status, code);
    }

    @Override
    public void close() {
        app.stop();
    }
}
