package org.stationtrust.agent.internal.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;
import org.stationtrust.logging.JsonLog;
import org.stationtrust.protocol.WireJson;

/** The routes of the local API: each parses its request at the edge, calls one operation, and answers a record. */
final class ApiRoutes {
    private static final JsonLog LOG = new JsonLog(ApiRoutes.class);
    private static final ObjectMapper JSON = WireJson.answers();
    private static final String STEPS = "captureSteps";
    private final AgentOperations operations;
    private final RequestGuard guard;
    private final RequestBodies bodies;

    ApiRoutes(AgentOperations operations, RequestGuard guard, RequestBodies bodies) {
        this.operations = operations;
        this.guard = guard;
        this.bodies = bodies;
    }

    void register(RoutesConfig routes) {
        routes.before(this::before);
        routes.get("/v1/status", ctx -> ctx.json(operations.status()));
        routes.get("/v1/devices", ctx -> ctx.json(operations.devices()));
        routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(operations.metrics()));
        routes.post("/v1/captures", this::capture);
        routes.post("/v1/enrollment", ctx -> ctx.json(operations.enroll(bodies.read(ctx, EnrollmentOrder.class).oneTimeToken())));
        routes.post("/v1/attestations", ctx -> ctx.status(202).json(operations.attestNow()));
        routes.post("/v1/key-rotation", ctx -> ctx.json(operations.rotateKey()));
        routes.get("/v1/devices/{id}/stream", this::stream);
    }

    private void before(Context ctx) throws ApiRefusal {
        CaptureSteps steps = new CaptureSteps();
        ctx.attribute(STEPS, steps);
        ctx.attribute(Refusals.REQUEST_ID, UUID.randomUUID().toString());
        ctx.header("Cache-Control", "no-store");
        ctx.header("X-Content-Type-Options", "nosniff");
        guard.check(ctx);
        steps.mark("guard");
    }

    private void capture(Context ctx) throws ApiRefusal, IOException {
        CaptureSteps steps = Objects.requireNonNull(ctx.attribute(STEPS));
        CaptureOrder order;
        try {
            order = CaptureOrder.from(bodies.read(ctx, CaptureOrderBody.class));
        } catch (ApiRefusal e) {
            operations.orderRefused(e.code());
            throw e;
        }
        steps.mark("parse");
        writeCapture(ctx, operations.capture(order, steps), steps);
    }

    private void stream(Context ctx) throws ApiRefusal, IOException {
        int subId = deviceSubId(ctx.queryParam("deviceSubId"));
        String boundary = "frame-" + UUID.randomUUID();
        ctx.contentType("multipart/x-mixed-replace; boundary=" + boundary);
        operations.stream(ctx.pathParam("id"), subId, ctx.res().getOutputStream(), boundary);
    }

    /**
     * Writes a capture's answer straight to the connection: serialised once into bytes (no intermediate String),
     * with its length, and the steps' timings in a {@code Server-Timing} header; the write itself is logged.
     */
    private static void writeCapture(Context ctx, CaptureAnswer answer, CaptureSteps steps) throws IOException {
        byte[] json = JSON.writeValueAsBytes(answer);
        steps.mark("json");
        ctx.status(200);
        ctx.header("Server-Timing", steps.serverTiming());
        HttpServletResponse response = ctx.res();
        response.setContentType("application/json");
        response.setContentLength(json.length);
        long started = System.nanoTime();
        OutputStream out = response.getOutputStream();
        out.write(json);
        out.flush();
        steps.mark("write");
        LOG.debug("capture.answered", "requestId", ctx.attribute(Refusals.REQUEST_ID), "bytes", json.length,
                "writeMs", String.format(Locale.ROOT, "%.3f", (System.nanoTime() - started) / 1e6),
                "totalMs", String.format(Locale.ROOT, "%.3f", steps.totalMillis()));
    }

    private static int deviceSubId(String value) throws ApiRefusal {
        if (value == null) return 0;
        try {
            int n = Integer.parseInt(value);
            if (n < 0 || n > 3) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw new ApiRefusal(RefusalCode.INVALID_FIELD, "deviceSubId must be 0-3");
        }
    }
}
