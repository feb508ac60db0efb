package org.stationtrust.agent.internal.api;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.io.UncheckedIOException;
import org.stationtrust.agent.internal.config.StorageUnavailable;
import org.stationtrust.logging.JsonLog;
import org.stationtrust.protocol.ErrorAnswer;

/**
 * Turns every failure into the product's one error body, {@code {"error": {"code", "message"}, "requestId"}}
 * (station-protocol's {@link ErrorAnswer}, the server's shape), and logs the refusal without its message.
 * A store of the state directory that cannot be written is {@code storage_unavailable}; anything else unexpected is
 * {@code internal}, with the request id to find it in the log.
 */
final class Refusals {
    private static final JsonLog LOG = new JsonLog(Refusals.class);
    static final String REQUEST_ID = "requestId";
    private final int maxBodyBytes;

    Refusals(int maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
    }

    void register(RoutesConfig routes) {
        routes.exception(ApiRefusal.class, (e, ctx) -> send(ctx, e.status(), e.code(), e.getMessage()));
        routes.exception(HttpResponseException.class, (e, ctx) -> refuse(ctx, httpLayer(e.getStatus()), httpMessage(ctx, e)));
        // The state directory failing a write (disk full, read-only, permissions) is the operator's to fix, not a crash.
        routes.exception(UncheckedIOException.class, this::storageFailed);
        routes.exception(StorageUnavailable.class, this::storageFailed);
        routes.exception(Exception.class, (e, ctx) -> {
            LOG.error("api.internal_error", "requestId", ctx.attribute(REQUEST_ID),
                    "type", e.getClass().getSimpleName(), "message", e.getMessage());
            refuse(ctx, RefusalCode.INTERNAL, "the agent failed unexpectedly (requestId " + ctx.attribute(REQUEST_ID)
                    + "); see the agent log");
        });
    }

    private void storageFailed(RuntimeException e, Context ctx) {
        LOG.error("api.storage_error", "requestId", ctx.attribute(REQUEST_ID), "message", e.getMessage());
        refuse(ctx, RefusalCode.STORAGE_UNAVAILABLE, "the agent could not write to its state directory: " + e.getMessage());
    }

    private static RefusalCode httpLayer(int status) {
        return switch (status) {
            case 404 -> RefusalCode.NOT_FOUND;
            case 405 -> RefusalCode.METHOD_NOT_ALLOWED;
            case 413 -> RefusalCode.BODY_TOO_LARGE;
            case 415 -> RefusalCode.UNSUPPORTED_MEDIA_TYPE;
            default -> status < 500 ? RefusalCode.BAD_REQUEST : RefusalCode.INTERNAL;
        };
    }

    private String httpMessage(Context ctx, HttpResponseException e) {
        return switch (e.getStatus()) {
            case 404 -> "no such endpoint: " + ctx.method() + " " + ctx.path();
            case 405 -> ctx.method() + " is not allowed on " + ctx.path();
            case 413 -> "request body larger than " + maxBodyBytes + " bytes";
            default -> e.getMessage();
        };
    }

    private static void refuse(Context ctx, RefusalCode code, String message) {
        send(ctx, code.status(), code.wire(), message);
    }

    private static void send(Context ctx, int status, String code, String message) {
        String requestId = ctx.attribute(REQUEST_ID);
        ctx.status(status).json(new ErrorAnswer(new ErrorAnswer.Error(code, message), requestId));
        LOG.info("api.refused", "requestId", requestId, "method", ctx.method(), "path", ctx.path(), "status", status,
                "error", code);
    }
}
