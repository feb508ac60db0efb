package org.stationtrust.server.internal.web;

import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.POST;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.stationtrust.protocol.ErrorCode;
import org.stationtrust.server.Role;
import org.stationtrust.server.internal.api.Views;
import org.stationtrust.server.internal.audit.AuditLog;
import org.stationtrust.server.internal.audit.AuditOutcome;
import org.stationtrust.server.internal.auth.AdminRoute;
import org.stationtrust.server.internal.auth.Authenticator;
import org.stationtrust.server.internal.auth.Caller;
import org.stationtrust.server.internal.auth.OperatorAccounts;
import org.stationtrust.server.internal.http.ApiException;
import org.stationtrust.server.internal.store.CredentialStore;
import org.stationtrust.server.internal.store.UserStore;
import org.stationtrust.server.internal.web.templates.JteoperatorsGenerated;
import org.stationtrust.server.internal.web.templates.JtesecretGenerated;

/**
 * {@code /admin/users} (admins): operators and their API tokens, with the same service calls and audit rows as the
 * API and the command line (OperatorAccounts, Authenticator).
 */
public final class OperatorPages {
    /** What this class uses of the running server (wired in {@code ServerRoutes}), nothing else. */
    public record Parts(AuditLog audit, Authenticator auth, CredentialStore credentials, OperatorAccounts operators,
                        UserStore users) {
    }

    private final Parts c;

    public OperatorPages(Parts c) {
        this.c = c;
    }

    public record OperatorRow(String username, String role, String created, boolean disabled, boolean self) {
    }

    public record ApiTokenRow(String id, String username, String label, String created, String expires,
                              String status) {
    }

    public List<AdminRoute> routes() {
        List<AdminRoute> r = new ArrayList<>();
        r.add(page(GET, "/admin/users", this::show));
        r.add(page(POST, "/admin/users", this::add));
        r.add(page(POST, "/admin/users/{id}/disable", (ctx, who) -> {
            c.operators().disable(who.username(), who.username(), ctx.pathParam("id"), ctx.formParam("reason"));
            ctx.redirect("/admin/users", HttpStatus.SEE_OTHER);
        }));
        r.add(page(POST, "/admin/users/{id}/enable", (ctx, who) -> {
            c.operators().enable(who.username(), ctx.pathParam("id"), ctx.formParam("reason"));
            ctx.redirect("/admin/users", HttpStatus.SEE_OTHER);
        }));
        r.add(page(POST, "/admin/users/{id}/remove", (ctx, who) -> {
            c.operators().remove(who.username(), who.username(), ctx.pathParam("id"), ctx.formParam("reason"));
            ctx.redirect("/admin/users", HttpStatus.SEE_OTHER);
        }));
        r.add(page(POST, "/admin/users/{id}/password-reset", this::issueReset));
        r.add(page(POST, "/admin/api-tokens", this::issueApiToken));
        r.add(page(POST, "/admin/api-tokens/{id}/revoke", (ctx, who) -> {
            c.operators().revokeApiToken(who.username(), ctx.pathParam("id"), ctx.formParam("reason"));
            ctx.redirect("/admin/users", HttpStatus.SEE_OTHER);
        }));
        return r;
    }

    private static AdminRoute page(io.javalin.http.HandlerType m, String path, AdminRoute.Action a) {
        return new AdminRoute(m, path, Role.ADMIN, AdminRoute.Surface.PAGE, a);
    }

    private void show(Context ctx, Caller who) {
        List<OperatorRow> operators = c.users().list().stream().map(u -> new OperatorRow(u.username(),
                u.role().name().toLowerCase(Locale.ROOT), Views.time(u.createdAt()), u.disabled(),
                u.username().equals(who.username()))).toList();
        long now = System.currentTimeMillis();
        List<ApiTokenRow> tokens = c.credentials().apiTokens().stream().map(t -> new ApiTokenRow(t.id(), t.username(),
                t.label(), Views.time(t.createdAt()), Views.time(t.expiresAt()),
                t.status(now).name())).toList();
        Render.send(ctx, out -> JteoperatorsGenerated.render(out, null, Chrome.of("Operators", who, "users"), operators,
                tokens));
    }

    private void add(Context ctx, Caller who) {
        String username = ctx.formParam("username");
        String password = ctx.formParam("password");
        Role role;
        try {
            UserStore.requireValidUsername(username);
            role = Role.parse(ctx.formParam("role"));
            if (password == null) throw new IllegalArgumentException("A password is required");
            OperatorAccounts.requirePolicy(password.toCharArray());
        } catch (IllegalArgumentException e) {
            throw new ApiException(ErrorCode.INVALID_FIELD, e.getMessage());
        }
        if (!c.auth().createUser(username, password.toCharArray(), role)) {
            throw new ApiException(ErrorCode.CONFLICT, "Operator '" + username + "' already exists");
        }
        c.audit().append(who.username(), "user.add", username, AuditOutcome.OK, "role " + role + " (operators page)");
        ctx.redirect("/admin/users", HttpStatus.SEE_OTHER);
    }

    private void issueReset(Context ctx, Caller who) {
        var reset = c.operators().issueReset(who.username(), ctx.pathParam("id"), ctx.formParam("reason"));
        Render.send(ctx, out -> JtesecretGenerated.render(out, null, Chrome.of("Password reset token", who, "users"),
                "Give this one-time token to " + reset.username() + " over a trusted channel. It works once, until "
                        + reset.expiresAt() + ", at " + AdminPage.RESET_PAGE + ":", "reset-token", reset.token(),
                "/admin/users", "Back to operators"));
    }

    private void issueApiToken(Context ctx, Caller who) {
        String username = ctx.formParam("username");
        String label = ctx.formParam("label") == null ? "" : ctx.formParam("label").strip();
        long hours;
        try {
            hours = Long.parseLong(ctx.formParam("hours") == null ? "" : ctx.formParam("hours"));
        } catch (NumberFormatException e) {
            throw new ApiException(ErrorCode.INVALID_FIELD, "Valid for: a whole number of hours (1..2160)");
        }
        if (label.length() > 200) throw new ApiException(ErrorCode.INVALID_FIELD, "Label is longer than 200 characters");
        if (hours < 1 || hours > 2160) throw new ApiException(ErrorCode.INVALID_FIELD, "Valid for: 1..2160 hours");
        String token;
        try {
            token = c.auth().issueApiToken(username == null ? "" : username, label, Duration.ofHours(hours));
        } catch (IllegalArgumentException e) {
            throw new ApiException(ErrorCode.INVALID_FIELD, e.getMessage());
        }
        c.audit().append(who.username(), "api_token.issue", username, AuditOutcome.OK,
                "label '" + label + "' (operators page)");
        Render.send(ctx, out -> JtesecretGenerated.render(out, null, Chrome.of("API token issued", who, "users"),
                "The API token for " + username + ". It is shown only once; send it as 'Authorization: Bearer <token>':",
                "api-token", token, "/admin/users", "Back to operators"));
    }
}
