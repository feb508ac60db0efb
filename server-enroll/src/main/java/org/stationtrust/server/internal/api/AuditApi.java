package org.stationtrust.server.internal.api;

import static io.javalin.http.HandlerType.GET;

import io.javalin.http.Context;
import java.util.List;
import org.stationtrust.protocol.ErrorCode;
import org.stationtrust.server.Role;
import org.stationtrust.server.internal.audit.AuditChainReport;
import org.stationtrust.server.internal.audit.AuditEvent;
import org.stationtrust.server.internal.auth.AdminRoute;
import org.stationtrust.server.internal.auth.Caller;
import org.stationtrust.server.internal.http.ApiException;

/** The operator API's audit log: the newest rows and the verification of their hash chain. */
final class AuditApi {
    private final AdminApi.Parts c;

    AuditApi(AdminApi.Parts c) {
        this.c = c;
    }

    List<AdminRoute> routes() {
        return List.of(
                AdminApi.api(GET, "/api/v1/admin/audit", Role.AUDITOR, this::audit),
                AdminApi.api(GET, "/api/v1/admin/audit/verify", Role.AUDITOR, this::verifyAudit));
    }

    /**
     * One page of the chain, newest first; {@code next} (the oldest row's number, null once row 1 is on the page) is
     * passed back as {@code ?after=}. Rows are never removed or renumbered, so the walk neither repeats nor skips.
     */
    private void audit(Context ctx, Caller who) {
        int limit = AdminApi.limit(ctx, 200);
        List<AuditEvent> rows = c.audit().before(after(ctx.queryParam("after")), limit);
        String next = rows.size() < limit || rows.get(rows.size() - 1).seq() <= 1 ? null
                : String.valueOf(rows.get(rows.size() - 1).seq());
        ctx.json(new Views.AuditEvents(rows.stream().map(e -> new Views.AuditEventView(e.seq(), Views.time(e.at()),
                e.actor(), e.action(), e.subject(), e.outcome(), e.detail(), e.hash())).toList(), next));
    }

    /** The {@code after} cursor: a row number from a previous page's {@code next}; absent, the newest rows. */
    private static long after(String cursor) {
        if (cursor == null) return Long.MAX_VALUE;
        if (cursor.matches("[1-9][0-9]{0,17}")) return Long.parseLong(cursor);
        throw new ApiException(ErrorCode.INVALID_FIELD, "after must be the next of a previous page (a row number 1-"
                + "999999999999999999), got '" + (cursor.length() > 24 ? cursor.substring(0, 24) + ".." : cursor) + "'");
    }

    /**
     * Incremental from the last verified row by default (not limited); {@code ?full=true} walks the whole chain,
     * bounded by {@link org.stationtrust.server.internal.audit.FullVerificationGate} (docs/server-api.md, "Rate limits").
     */
    private void verifyAudit(Context ctx, Caller who) {
        boolean full = "true".equals(ctx.queryParam("full"));
        AuditChainReport r = full ? c.fullVerification().verify(who.username()) : c.audit().verifyFromCheckpoint();
        ctx.json(new Views.AuditVerification(r.intact(), r.rows(), r.problems(), r.full(), r.fromSeq()));
    }
}
