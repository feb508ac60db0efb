package org.stationtrust.server.internal.api;

import static io.javalin.http.HandlerType.GET;

import io.javalin.http.Context;
import java.util.List;
import org.stationtrust.server.Role;
import org.stationtrust.server.internal.audit.AuditChainReport;
import org.stationtrust.server.internal.auth.AdminRoute;
import org.stationtrust.server.internal.auth.Caller;

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

    private void audit(Context ctx, Caller who) {
        int limit = AdminApi.limit(ctx, 200);
        ctx.json(new Views.AuditEvents(c.audit().recent(limit).stream().map(e -> new Views.AuditEventView(e.seq(),
                Views.time(e.at()), e.actor(), e.action(), e.subject(), e.outcome(), e.detail(), e.hash())).toList()));
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
