package org.stationtrust.server.internal.api;

import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.POST;
import static io.javalin.http.HandlerType.PUT;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.javalin.http.Context;
import java.util.List;
import org.stationtrust.protocol.ErrorCode;
import org.stationtrust.server.Role;
import org.stationtrust.server.ServerConfig;
import org.stationtrust.server.internal.attest.AttestationService;
import org.stationtrust.server.internal.audit.AuditLog;
import org.stationtrust.server.internal.auth.AdminRoute.Surface;
import org.stationtrust.server.internal.auth.AdminRoute;
import org.stationtrust.server.internal.auth.Caller;
import org.stationtrust.server.internal.boot.BootAdministration;
import org.stationtrust.server.internal.boot.BootPolicy;
import org.stationtrust.server.internal.boot.BootViews;
import org.stationtrust.server.internal.boot.MeasuredBoot;
import org.stationtrust.server.internal.http.ApiException;
import org.stationtrust.server.internal.http.Bodies;
import org.stationtrust.server.internal.http.JsonBodies;
import org.stationtrust.server.internal.store.Database;
import org.stationtrust.server.internal.store.MachineStore;

/**
 * The measured-boot part of the operator API (docs/server-api.md, "Measured boot"): auditors read
 * policies and a machine's boot; only admins change policies, the default and assignments.
 */
public final class BootApi {
    /** What this class uses of the running server (wired in {@code ServerRoutes}), nothing else. */
    public record Parts(AttestationService attestation, AuditLog audit, ServerConfig config, Database db,
                        MachineStore machines) {
    }

    private final Parts c;
    private final MeasuredBoot boot;
    private final BootAdministration admin;

    public BootApi(Parts c) {
        this.c = c;
        this.boot = c.attestation().measuredBoot();
        this.admin = new BootAdministration(c.db(), boot, c.machines(), c.audit());
    }

    record Reason(@JsonProperty("reason") String reason) {
    }

    record Assignment(@JsonProperty(value = "policy", required = true) String policy,
                      @JsonProperty("reason") String reason) {
    }

    public List<AdminRoute> routes() {
        return List.of(
                api(GET, "/api/v1/admin/boot-policies", Role.AUDITOR, (ctx, who) -> ctx.json(new BootViews.Policies(
                        boot.store().policies().stream().map(BootViews::policy).toList()))),
                api(PUT, "/api/v1/admin/boot-policies/{name}", Role.ADMIN, (ctx, who) -> ctx.json(BootViews.policy(
                        admin.putPolicy(who, name(ctx), Bodies.json(ctx, BootPolicy.MAX_BYTES))))),
                api(POST, "/api/v1/admin/boot-policies/{name}/make-default", Role.ADMIN, (ctx, who) -> {
                    admin.makeDefault(who, name(ctx), reason(ctx).reason());
                    ctx.json(BootViews.policy(boot.store().policy(name(ctx)).orElseThrow()));
                }),
                api(GET, "/api/v1/admin/machines/{id}/boot", Role.AUDITOR, this::machine),
                api(PUT, "/api/v1/admin/machines/{id}/boot-policy", Role.ADMIN, (ctx, who) -> {
                    Assignment a = JsonBodies.parse(Bodies.json(ctx, c.config().maxBodyBytes()), Assignment.class);
                    admin.assign(who, ctx.pathParam("id"), a.policy(), a.reason());
                    machine(ctx, who);
                }),
                api(POST, "/api/v1/admin/machines/{id}/boot/accept-model", Role.ADMIN, (ctx, who) -> ctx.json(
                        BootViews.policy(admin.acceptModel(who, ctx.pathParam("id"), reason(ctx).reason())))));
    }

    private static AdminRoute api(io.javalin.http.HandlerType m, String path, Role role, AdminRoute.Action a) {
        return new AdminRoute(m, path, role, Surface.API, a);
    }

    private void machine(Context ctx, Caller who) {
        String id = ctx.pathParam("id");
        if (id.length() > 40 || c.machines().find(id).isEmpty()) {
            throw new ApiException(ErrorCode.NOT_FOUND, "No machine with that id");
        }
        var row = boot.store().machine(id);
        // the log of a boot that did not replay is kept for the admin, who may need to take it apart
        ctx.json(BootViews.machine(id, row, boot.policyFor(row), who.role() == Role.ADMIN));
    }

    private Reason reason(Context ctx) {
        return JsonBodies.parse(Bodies.json(ctx, c.config().maxBodyBytes()), Reason.class);
    }

    private static String name(Context ctx) {
        String name = ctx.pathParam("name");
        if (!BootPolicy.isValidName(name)) {
            throw new ApiException(ErrorCode.INVALID_FIELD, "A boot policy name is 1-64 of A-Z a-z 0-9 . _ -");
        }
        return name;
    }
}
