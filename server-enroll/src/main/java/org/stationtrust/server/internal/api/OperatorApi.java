package org.stationtrust.server.internal.api;

import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.POST;

import io.javalin.http.Context;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.stationtrust.protocol.ErrorCode;
import org.stationtrust.server.Role;
import org.stationtrust.server.internal.audit.AuditOutcome;
import org.stationtrust.server.internal.auth.AdminRoute;
import org.stationtrust.server.internal.auth.Caller;
import org.stationtrust.server.internal.http.ApiException;
import org.stationtrust.server.internal.http.Bodies;
import org.stationtrust.server.internal.http.ClientAddress;
import org.stationtrust.server.internal.http.JsonBodies;
import org.stationtrust.server.internal.store.CredentialStore;
import org.stationtrust.server.internal.store.UserStore;

/** The operator API's accounts: operators, their API tokens and passwords (with the anonymous reset redemption). */
final class OperatorApi {
    private final AdminApi.Parts c;

    OperatorApi(AdminApi.Parts c) {
        this.c = c;
    }

    record NewUser(String username, String password, String role) {
    }

    record NewApiToken(String username, String label, Long ttlSeconds) {
    }

    record PasswordChange(String currentPassword, String newPassword) {
    }

    List<AdminRoute> routes() {
        List<AdminRoute> r = new ArrayList<>();
        r.add(AdminApi.api(GET, "/api/v1/admin/users", Role.ADMIN, (ctx, who) -> ctx.json(users())));
        r.add(AdminApi.api(POST, "/api/v1/admin/users", Role.ADMIN, this::addUser));
        r.add(AdminApi.api(POST, "/api/v1/admin/api-tokens", Role.ADMIN, this::issueApiToken));
        r.add(AdminApi.api(GET, "/api/v1/admin/api-tokens", Role.ADMIN, this::listApiTokens));
        r.add(AdminApi.api(POST, "/api/v1/admin/api-tokens/{id}/revoke", Role.ADMIN, this::revokeApiToken));
        r.add(AdminApi.api(POST, "/api/v1/admin/users/{id}/disable", Role.ADMIN, (ctx, who) -> {
            c.operators().disable(who.username(), who.username(), ctx.pathParam("id"),
                    AdminApi.decision(ctx, c).reason());
            ctx.json(new Views.UserDisabled(ctx.pathParam("id"), true));
        }));
        r.add(AdminApi.api(POST, "/api/v1/admin/users/{id}/enable", Role.ADMIN, (ctx, who) -> {
            c.operators().enable(who.username(), ctx.pathParam("id"), AdminApi.decision(ctx, c).reason());
            ctx.json(new Views.UserDisabled(ctx.pathParam("id"), false));
        }));
        r.add(AdminApi.api(POST, "/api/v1/admin/users/{id}/remove", Role.ADMIN, (ctx, who) -> {
            c.operators().remove(who.username(), who.username(), ctx.pathParam("id"),
                    AdminApi.decision(ctx, c).reason());
            ctx.json(new Views.UserRemoved(ctx.pathParam("id"), true));
        }));
        r.add(AdminApi.api(POST, "/api/v1/admin/users/{id}/password-reset", Role.ADMIN, this::issueReset));
        r.add(AdminApi.api(POST, "/api/v1/admin/me/password", Role.AUDITOR, this::changeOwnPassword));
        return r;
    }

    /** The anonymous redemption of a one-time password reset token (the token is the credential). */
    void registerPublic(io.javalin.config.RoutesConfig app) {
        app.post("/api/v1/password-resets", ctx -> {
            c.loginLimit().acquire(ClientAddress.limitKey(ctx.ip()));
            AdminApi.PasswordReset r = JsonBodies.parse(Bodies.json(ctx, c.config().maxBodyBytes()),
                    AdminApi.PasswordReset.class);
            String who = c.operators().redeemReset(r.token(), r.newPassword() == null ? null : r.newPassword().toCharArray(),
                    ctx.ip());
            ctx.json(new Views.PasswordChanged(who, true));
        });
    }

    private void issueReset(Context ctx, Caller who) {
        var reset = c.operators().issueReset(who.username(), ctx.pathParam("id"), AdminApi.decision(ctx, c).reason());
        ctx.status(201).json(new Views.PasswordResetIssued(reset.username(), reset.token(),
                reset.expiresAt().toString()));
    }

    private void changeOwnPassword(Context ctx, Caller who) {
        PasswordChange p = JsonBodies.parse(Bodies.json(ctx, c.config().maxBodyBytes()), PasswordChange.class);
        if (p.currentPassword() == null || p.newPassword() == null) {
            throw new ApiException(ErrorCode.INVALID_FIELD, "currentPassword and newPassword are required");
        }
        c.operators().changeOwnPassword(who.username(), p.currentPassword().toCharArray(),
                p.newPassword().toCharArray(), null);
        ctx.json(new Views.PasswordChanged(who.username(), true));
    }

    private List<Views.UserView> users() {
        return c.users().list().stream().map(u -> new Views.UserView(u.username(),
                u.role().name().toLowerCase(java.util.Locale.ROOT), Views.time(u.createdAt()), u.disabled())).toList();
    }

    private void addUser(Context ctx, Caller who) {
        NewUser u = JsonBodies.parse(Bodies.json(ctx, c.config().maxBodyBytes()), NewUser.class);
        try {
            UserStore.requireValidUsername(u.username());
            Role role = Role.parse(u.role());
            if (u.password() == null) throw new IllegalArgumentException("password is required");
            if (!c.auth().createUser(u.username(), u.password().toCharArray(), role)) {
                throw new ApiException(ErrorCode.CONFLICT, "User '" + u.username() + "' already exists");
            }
            c.audit().append(who.username(), "user.add", u.username(), AuditOutcome.OK, "role " + role);
        } catch (IllegalArgumentException e) {
            throw new ApiException(ErrorCode.INVALID_FIELD, e.getMessage());
        }
        ctx.status(201).json(new Views.UserAdded(u.username()));
    }

    private void listApiTokens(Context ctx, Caller who) {
        long now = System.currentTimeMillis();
        ctx.json(new Views.ApiTokens(c.credentials().apiTokens().stream().map(t -> new Views.ApiTokenView(t.id(),
                t.username(), t.label(), Views.time(t.createdAt()), Views.time(t.expiresAt()),
                t.status(now))).toList()));
    }

    private void revokeApiToken(Context ctx, Caller who) {
        String id = ctx.pathParam("id");
        c.operators().revokeApiToken(who.username(), id, AdminApi.decision(ctx, c).reason());
        ctx.json(new Views.StatusChanged<>(id, CredentialStore.ApiToken.Status.REVOKED));
    }

    private void issueApiToken(Context ctx, Caller who) {
        NewApiToken t = JsonBodies.parse(Bodies.json(ctx, c.config().maxBodyBytes()), NewApiToken.class);
        String token;
        try {
            String label = t.label() == null ? "" : JsonBodies.requireText("label", t.label(), 200);
            token = c.auth().issueApiToken(t.username(), label, Duration.ofSeconds(t.ttlSeconds() == null ? 28_800
                    : t.ttlSeconds()));
        } catch (IllegalArgumentException e) {
            throw new ApiException(ErrorCode.INVALID_FIELD, e.getMessage());
        }
        c.audit().append(who.username(), "api_token.issue", t.username(), AuditOutcome.OK, "label '" + t.label() + "'");
        ctx.status(201).json(new Views.IssuedApiToken(token));
    }
}
