package org.stationtrust.server.internal.api;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import org.stationtrust.logging.JsonLog;
import org.stationtrust.logging.Redaction;
import org.stationtrust.protocol.ErrorCode;
import org.stationtrust.server.internal.audit.AuditLog;
import org.stationtrust.server.internal.audit.AuditOutcome;
import org.stationtrust.server.internal.audit.RefusalAudit;
import org.stationtrust.server.internal.auth.Caller;
import org.stationtrust.server.internal.auth.RouteGuard;
import org.stationtrust.server.internal.http.ApiException;
import org.stationtrust.server.internal.metrics.ServerMetrics;
import org.stationtrust.server.internal.store.StorageException;

/** Turns every failure into a JSON error with a stable code (HTML on the admin page), and audits refusals. */
public final class ErrorResponses {
    private static final JsonLog LOG = new JsonLog(ErrorResponses.class);
    /** What this class uses of the running server (wired in {@code ServerRoutes}), nothing else. */
    public record Parts(AuditLog audit, ServerMetrics metrics, RefusalAudit refusals) {
    }

    private final Parts c;
    private final java.util.concurrent.ConcurrentHashMap<String, Long> rateLimitAudited =
            new java.util.concurrent.ConcurrentHashMap<>();

    public ErrorResponses(Parts c) {
        this.c = c;
    }

    public void register(RoutesConfig app) {
        app.exception(RouteGuard.LoginRedirect.class, (e, ctx) -> { });
        app.exception(ApiException.class, (e, ctx) -> {
            refused(refusedOf(ctx), e.code(), e.getMessage());
            send(ctx, e.code(), e.getMessage(), e.retryAfterSeconds());
        });
        app.exception(HttpResponseException.class, (e, ctx) -> refuse(ctx, switch (e.getStatus()) {
            case 404, 405 -> ErrorCode.NOT_FOUND;
            case 413 -> ErrorCode.BODY_TOO_LARGE;
            case 400 -> ErrorCode.MALFORMED_JSON;
            case 401 -> ErrorCode.UNAUTHENTICATED;
            case 403 -> ErrorCode.FORBIDDEN;
            default -> ErrorCode.INTERNAL;
        }, e.getStatus() == 404 || e.getStatus() == 405 ? "No such route: " + ctx.method() + " " + ctx.path()
                : e.getMessage()));
        app.exception(StorageException.class, (e, ctx) -> {
            Failure f = failure(e, ctx.attribute("requestId"), refusedOf(ctx));
            send(ctx, f.code(), f.message(), 1);
        });
        app.exception(Exception.class, (e, ctx) -> {
            Failure f = failure(e, ctx.attribute("requestId"), refusedOf(ctx));
            send(ctx, f.code(), f.message(), 1);
        });
        app.error(404, ctx -> {
            if (ctx.result() == null || ctx.result().isEmpty() || ctx.result().startsWith("Endpoint ")) {
                refuse(ctx, ErrorCode.NOT_FOUND, "No such route: " + ctx.method() + " " + ctx.path());
            }
        });
    }

    private void refuse(Context ctx, ErrorCode code, String message) {
        refused(refusedOf(ctx), code, message);
        send(ctx, code, message, 1);
    }

    private static Refused refusedOf(Context ctx) {
        return new Refused(ctx.ip(), ctx.method().name(), route(ctx), ctx.path(), ctx.attribute(RouteGuard.CALLER_ATTRIBUTE),
                ctx.attribute("station"));
    }

    /** Who was refused what, as the audit row names it. */
    public record Refused(String client, String method, String route, String path, Caller caller, String station) {
    }

    /** What a failure becomes on the wire: its code and the message the caller reads. */
    public record Failure(ErrorCode code, String message) {
    }

    /**
     * What a failure a route threw becomes, counted: a refusal ({@link ApiException}) with its own code and message,
     * audited as {@link #refused} says; a fault of the server with a generic message, its cause going to the log only
     * (with the request id the caller is told to quote).
     */
    public Failure failure(Exception e, String requestId, Refused who) {
        if (e instanceof ApiException api) {
            refused(who, api.code(), api.getMessage());
            return new Failure(api.code(), api.getMessage());
        }
        Failure f;
        if (e instanceof StorageException) {
            LOG.error("storage_failure", "requestId", requestId, "error", e.getMessage());
            f = new Failure(ErrorCode.STORAGE_UNAVAILABLE, "The database is unavailable; retry later");
        } else {
            LOG.error("internal_error", "requestId", requestId, "type", e.getClass().getName(), "error", e.getMessage());
            f = new Failure(ErrorCode.INTERNAL, "Internal error; quote request id " + requestId);
        }
        c.metrics().refused(f.code());
        return f;
    }

    /**
     * Counts a refusal and audits it: an anonymous one aggregated (one row per reason, source and minute), a known
     * caller's or station's as its own row (rate limits once a minute); a route that does not exist is not audited,
     * except under the operator API.
     */
    public void refused(Refused r, ErrorCode code, String message) {
        c.metrics().refused(code);
        if (code != ErrorCode.NOT_FOUND || r.path().startsWith("/api/v1/admin")) {
            try {
                if (r.caller() == null && r.station() == null) {
                    c.refusals().refused(r.client(), code.wire(), r.method() + " " + r.route());
                } else if (shouldAudit(code, r.caller() != null ? r.caller().username() : "machine:" + r.station())) {
                    c.audit().append(r.caller() != null ? r.caller().username() : "machine:" + r.station(), "refused "
                            + r.method() + " " + r.route(), clip(r.path()), AuditOutcome.REFUSED,
                            code.wire() + ": " + Redaction.scrub(message));
                }
            } catch (RuntimeException auditFailure) {
                LOG.error("audit_append_failed", "route", r.route());
            }
        }
    }

    /** An authenticated caller's rate-limit refusals are audited once per minute, so a flood is not a write flood. */
    private boolean shouldAudit(ErrorCode code, String actor) {
        if (code != ErrorCode.RATE_LIMITED) return true;
        long now = System.currentTimeMillis();
        if (rateLimitAudited.size() > 10_000) rateLimitAudited.clear();
        Long last = rateLimitAudited.get(actor);
        if (last != null && now - last < 60_000) return false;
        rateLimitAudited.put(actor, now);
        return true;
    }

    /**
     * Refusals the request gate makes before any route runs: all of them anonymous. Counted (metrics, aggregated
     * audit rows), not logged one by one: a flood must not turn into a flood of log lines.
     */
    public void gateRefused(org.stationtrust.server.internal.http.RequestGate.Head head, ErrorCode code, String message) {
        c.metrics().refused(code);
        // as for the routes' refusals: a path nobody serves is not audited, except under the operator API
        if (code == ErrorCode.NOT_FOUND && !head.path().startsWith("/api/v1/admin")) return;
        c.refusals().refused(head.client(), code.wire(), head.method() + " " + clip(head.path()));
    }

    private static String route(Context ctx) {
        return org.stationtrust.server.internal.http.Routes.matchedPath(ctx);
    }

    private static void send(Context ctx, ErrorCode code, String message, long retryAfterSeconds) {
        ctx.status(code.status());
        if (code == ErrorCode.SERVER_BUSY || code == ErrorCode.RATE_LIMITED) {
            ctx.header("Retry-After", Long.toString(retryAfterSeconds));
        }
        // a person in a browser gets a page: the console and the password reset form (a wrong or spent token)
        if (ctx.path().startsWith("/admin") || ctx.path().equals(org.stationtrust.server.internal.web.AdminPage.RESET_PAGE)) {
            ctx.html("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Refused - station-trust"
                    + "</title><link rel=\"stylesheet\" href=\"/static/console.css\"></head><body><main id=\"main\"><h1>"
                    + code.status() + " " + code.wire() + "</h1><p id=\"error\" class=\"alert\" role=\"alert\">"
                    + escape(message) + "</p><p><a href=\"/admin\">Back to the overview</a></p></main></body></html>");
            return;
        }
        ctx.json(org.stationtrust.server.internal.http.ErrorBodies.answer(code, message, ctx.attribute("requestId")));
    }

    private static String clip(String s) {
        return s.length() > 128 ? s.substring(0, 128) : s;
    }

    private static String escape(String s) {
        return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
