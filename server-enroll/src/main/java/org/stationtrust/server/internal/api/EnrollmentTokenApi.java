package org.stationtrust.server.internal.api;

import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.POST;

import io.javalin.http.Context;
import java.time.Duration;
import java.util.List;
import org.stationtrust.server.internal.audit.DecisionReason;
import org.stationtrust.protocol.ErrorCode;
import org.stationtrust.server.Role;
import org.stationtrust.server.internal.audit.AuditLog;
import org.stationtrust.server.internal.audit.AuditOutcome;
import org.stationtrust.server.internal.auth.AdminRoute;
import org.stationtrust.server.internal.auth.Caller;
import org.stationtrust.server.internal.auth.Secrets;
import org.stationtrust.server.internal.enroll.ApprovalWorkflow;
import org.stationtrust.server.internal.http.ApiException;
import org.stationtrust.server.internal.http.Bodies;
import org.stationtrust.server.internal.http.JsonBodies;
import org.stationtrust.server.internal.store.EnrollmentTokenStore;
import org.stationtrust.server.internal.store.MachineSearch;

/** The operator API's enrollment tokens: list, issue (shared with the page and the CLI) and expire. */
public final class EnrollmentTokenApi {
    private final AdminApi.Parts c;

    EnrollmentTokenApi(AdminApi.Parts c) {
        this.c = c;
    }

    record NewEnrollmentToken(String note, Long ttlSeconds) {
    }

    List<AdminRoute> routes() {
        return List.of(
                AdminApi.api(GET, "/api/v1/admin/enrollment-tokens", Role.APPROVER, this::listTokens),
                AdminApi.api(POST, "/api/v1/admin/enrollment-tokens", Role.ADMIN, this::issueToken),
                AdminApi.api(POST, "/api/v1/admin/enrollment-tokens/{id}/expire", Role.ADMIN, this::expireToken));
    }

    /** One page of enrollment tokens, newest first; {@code limit} and {@code after} as for the machine lists. */
    private void listTokens(Context ctx, Caller who) {
        int limit = AdminApi.limit(ctx, AdminApi.LIST_PAGE, MachineSearch.MAX_SIZE);
        EnrollmentTokenStore.Page page;
        try {
            page = c.enrollmentTokens().page(MachineSearch.Cursor.decode(ctx.queryParam("after")), limit);
        } catch (IllegalArgumentException e) {
            throw new ApiException(ErrorCode.INVALID_FIELD, "after: " + e.getMessage());
        }
        long now = System.currentTimeMillis();
        ctx.json(new Views.EnrollmentTokens(page.rows().stream().map(t -> new Views.EnrollmentTokenView(
                t.id(), t.note(), t.createdBy(), Views.time(t.createdAt()), Views.time(t.expiresAt()), t.status(now),
                t.usedBy())).toList(), page.next() == null ? null : page.next().encode()));
    }

    private void issueToken(Context ctx, Caller who) {
        NewEnrollmentToken t = JsonBodies.parse(Bodies.json(ctx, c.config().maxBodyBytes()), NewEnrollmentToken.class);
        ctx.status(201).json(issueEnrollmentToken(c.enrollmentTokens(), c.audit(), who, t.note(), t.ttlSeconds() == null ? Duration.ofDays(1)
                : Duration.ofSeconds(t.ttlSeconds())));
    }

    /**
     * Shared with the admin page: expires an open token for a reason (3-500 characters, as every decision: the
     * reason is the audit row's detail); {@code 404 not_found} when no open token has that id.
     */
    public static void expireEnrollmentToken(EnrollmentTokenStore tokens, AuditLog audit, Caller who, String id,
                                             String reason) {
        String why = DecisionReason.require(reason);
        if (id.length() > 40 || !tokens.expire(id)) {
            throw new ApiException(ErrorCode.NOT_FOUND, "No open enrollment token with that id");
        }
        audit.append(who.username(), "enrollment_token.expire", id, AuditOutcome.OK, why);
    }

    /** Shared with the admin page and the CLI: the plain token is shown once. */
    public static Views.IssuedEnrollmentToken issueEnrollmentToken(EnrollmentTokenStore tokens, AuditLog audit,
                                                                   Caller who, String note, Duration ttl) {
        String n;
        try {
            n = note == null ? "" : JsonBodies.requireText("note", note, 200);
        } catch (IllegalArgumentException e) {
            throw new ApiException(ErrorCode.INVALID_FIELD, e.getMessage());
        }
        if (ttl.isNegative() || ttl.isZero() || ttl.compareTo(Duration.ofDays(30)) > 0) {
            throw new ApiException(ErrorCode.INVALID_FIELD, "ttlSeconds must be between 1 and 30 days");
        }
        String token = Secrets.newToken("ste_");
        String id = Secrets.newId();
        long expires = System.currentTimeMillis() + ttl.toMillis();
        tokens.create(id, Secrets.digest(token), who.username(), n, expires);
        audit.append(who.username(), "enrollment_token.issue", id, AuditOutcome.OK, "note '" + n + "', expires "
                + Views.time(expires));
        return new Views.IssuedEnrollmentToken(id, token, Views.time(expires));
    }

    private void expireToken(Context ctx, Caller who) {
        String id = ctx.pathParam("id");
        expireEnrollmentToken(c.enrollmentTokens(), c.audit(), who, id, AdminApi.decision(ctx, c).reason());
        ctx.json(new Views.StatusChanged<>(id, EnrollmentTokenStore.EnrollmentToken.Status.EXPIRED));
    }
}
