package org.stationtrust.server.internal.web;

import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.POST;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.stationtrust.server.Role;
import org.stationtrust.server.ServerConfig;
import org.stationtrust.server.internal.api.EnrollmentTokenApi;
import org.stationtrust.server.internal.api.Views;
import org.stationtrust.server.internal.audit.AuditChainReport;
import org.stationtrust.server.internal.audit.AuditLog;
import org.stationtrust.server.internal.audit.AuditOutcome;
import org.stationtrust.server.internal.audit.FullVerificationGate;
import org.stationtrust.server.internal.audit.RefusalAudit;
import org.stationtrust.server.internal.auth.AdminRoute;
import org.stationtrust.server.internal.auth.Authenticator;
import org.stationtrust.server.internal.auth.Caller;
import org.stationtrust.server.internal.auth.LoginThrottle;
import org.stationtrust.server.internal.auth.OperatorAccounts;
import org.stationtrust.server.internal.auth.RouteGuard;
import org.stationtrust.server.internal.http.ClientAddress;
import org.stationtrust.server.internal.http.RateLimiter;
import org.stationtrust.server.internal.notify.Webhooks;
import org.stationtrust.server.internal.store.Database;
import org.stationtrust.server.internal.store.EnrollmentTokenStore;
import org.stationtrust.server.internal.store.UserStore;
import org.stationtrust.server.internal.web.templates.JteauditGenerated;
import org.stationtrust.server.internal.web.templates.JteloginGenerated;
import org.stationtrust.server.internal.web.templates.JtepasswordGenerated;
import org.stationtrust.server.internal.web.templates.JteresetGenerated;
import org.stationtrust.server.internal.web.templates.JtesecretGenerated;
import org.stationtrust.server.internal.web.templates.JtetokensGenerated;

/**
 * The admin console's sign-in, session and small pages (tokens, audit, password); the machine pages are in
 * {@link MachinePages}, the operators' in {@link OperatorPages}. Server-rendered from precompiled jte templates
 * (src/main/jte): no JavaScript, forms with CSRF tokens, session cookie.
 */
public final class AdminPage {
    static final String LOGIN_COOKIE = "st_login";
    /** What this class uses of the running server (wired in {@code ServerRoutes}), nothing else. */
    public record Parts(AuditLog audit, Authenticator auth, ServerConfig config, Database db,
                        EnrollmentTokenStore enrollmentTokens, RateLimiter loginLimit, LoginThrottle loginThrottle,
                        OperatorAccounts operators, RefusalAudit refusals, UserStore users, Webhooks webhooks,
                        MachinePages.Parts machinePages, OperatorPages.Parts operatorPages,
                        FullVerificationGate fullVerification) {
    }

    private final Parts c;
    private final boolean secureCookies;

    public AdminPage(Parts c, boolean secureCookies) {
        this.c = c;
        this.secureCookies = secureCookies;
    }

    /** The login form and its POST: the only page routes open to anonymous callers. */
    public void registerPublic(RoutesConfig app) {
        app.get("/admin/login", ctx -> loginPage(ctx, null));
        app.get(STYLESHEET, ctx -> ctx.contentType("text/css; charset=utf-8").header("Cache-Control", "max-age=3600")
                .result(STYLE));
        app.post("/admin/login", this::login);
        // The one-time reset token is the credential here (an admin issued it); outside /admin, no session.
        app.get(RESET_PAGE, ctx -> Render.send(ctx, out -> JteresetGenerated.render(out, null, RESET_PAGE)));
        app.post(RESET_PAGE, ctx -> {
            c.loginLimit().acquire(ClientAddress.limitKey(ctx.ip()));
            String next = ctx.formParam("password");
            c.operators().redeemReset(ctx.formParam("token"), next == null ? null : next.toCharArray(), ctx.ip());
            ctx.redirect("/admin/login", HttpStatus.SEE_OTHER);
        });
    }

    /** The password reset form, outside /admin; its refusals are pages too ({@code ErrorResponses}). */
    public static final String RESET_PAGE = "/reset-password";
    /** The console's one stylesheet, served by the server itself (CSP style-src 'self'; no CDN, no web fonts). */
    static final String STYLESHEET = "/static/console.css";
    private static final byte[] STYLE = readStyle();

    private static byte[] readStyle() {
        try (var in = AdminPage.class.getResourceAsStream("/static/console.css")) {
            if (in == null) throw new IllegalStateException("static/console.css is missing from the jar");
            return in.readAllBytes();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void changePassword(Context ctx, Caller who) {
        String current = ctx.formParam("current");
        String next = ctx.formParam("password");
        if (current == null || next == null) {
            throw new org.stationtrust.server.internal.http.ApiException(
                    org.stationtrust.protocol.ErrorCode.INVALID_FIELD, "Current and new password are required");
        }
        String session = ctx.cookie(Authenticator.SESSION_COOKIE);
        c.operators().changeOwnPassword(who.username(), current.toCharArray(), next.toCharArray(),
                session == null ? null : org.stationtrust.server.internal.auth.Secrets.digest(session));
        ctx.redirect("/admin", HttpStatus.SEE_OTHER);
    }

    public List<AdminRoute> routes() {
        List<AdminRoute> r = new ArrayList<>(new MachinePages(c.machinePages()).routes());
        r.add(page(GET, "/admin/tokens", Role.APPROVER, this::tokens));
        r.add(page(POST, "/admin/tokens", Role.ADMIN, this::issueToken));
        r.add(page(POST, "/admin/tokens/{id}/expire", Role.ADMIN, (ctx, who) -> {
            EnrollmentTokenApi.expireEnrollmentToken(c.enrollmentTokens(), c.audit(), who, ctx.pathParam("id"),
                    ctx.formParam("reason"));
            ctx.redirect("/admin/tokens", HttpStatus.SEE_OTHER);
        }));
        r.add(page(GET, "/admin/audit", Role.AUDITOR, this::audit));
        r.addAll(new OperatorPages(c.operatorPages()).routes());
        r.add(page(GET, "/admin/password", Role.AUDITOR, (ctx, who) -> Render.send(ctx, out ->
                JtepasswordGenerated.render(out, null, Chrome.of("Change my password", who, "password")))));
        r.add(page(POST, "/admin/password", Role.AUDITOR, this::changePassword));
        r.add(page(POST, "/admin/logout", Role.AUDITOR, (ctx, who) -> {
            c.auth().logout(ctx.cookie(Authenticator.SESSION_COOKIE));
            ctx.header("Set-Cookie", cookie("", 0));
            ctx.redirect("/admin/login", HttpStatus.SEE_OTHER);
        }));
        return r;
    }

    private static AdminRoute page(io.javalin.http.HandlerType m, String path, Role role, AdminRoute.Action a) {
        return new AdminRoute(m, path, role, AdminRoute.Surface.PAGE, a);
    }

    private String cookie(String value, long maxAgeSeconds) {
        return Authenticator.SESSION_COOKIE + "=" + value + "; Path=/admin; Max-Age=" + maxAgeSeconds
                + "; HttpOnly; SameSite=Strict" + (secureCookies ? "; Secure" : "");
    }

    /**
     * The login form carries a fresh token that must come back both as a form field and as a SameSite=Strict
     * cookie (double submit), so another site cannot log a browser into an account of its choosing.
     */
    private void loginPage(Context ctx, String error) {
        String token = org.stationtrust.server.internal.auth.Secrets.newToken("");
        ctx.header("Set-Cookie", LOGIN_COOKIE + "=" + token + "; Path=/admin/login; Max-Age=900; HttpOnly; "
                + "SameSite=Strict" + (secureCookies ? "; Secure" : ""));
        Render.send(ctx, out -> JteloginGenerated.render(out, null, error, token));
    }

    private void login(Context ctx) {
        String expected = ctx.cookie(LOGIN_COOKIE);
        String presented = ctx.formParam("login_csrf");
        if (expected == null || presented == null || RouteGuard.fromAnotherSite(ctx) || !java.security.MessageDigest.isEqual(
                expected.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                presented.getBytes(java.nio.charset.StandardCharsets.UTF_8))) {
            c.loginLimit().acquire(ClientAddress.limitKey(ctx.ip()));
            throw new org.stationtrust.server.internal.http.ApiException(
                    org.stationtrust.protocol.ErrorCode.CSRF_TOKEN_INVALID,
                    "The sign-in form is stale or came from another site: reload /admin/login and sign in again");
        }
        String user = ctx.formParam("username");
        String password = ctx.formParam("password");
        if (user == null || password == null || user.length() > 64 || password.length() > 1024) {
            c.loginLimit().acquire(ClientAddress.limitKey(ctx.ip()));
            loginPage(ctx.status(401), "Wrong user name or password.");
            return;
        }
        LoginThrottle throttle = c.loginThrottle();
        String device = ctx.cookie(LoginThrottle.DEVICE_COOKIE);
        boolean trusted = throttle.trustedDevice(user, device);
        long now = System.currentTimeMillis();
        if (!trusted) {
            // Per address, then per account (whatever the address): a browser that signed in before passes both.
            c.loginLimit().acquire(ClientAddress.limitKey(ctx.ip()));
            throttle.admit(user, now);
        }
        var session = c.auth().login(user, password.toCharArray());
        if (session.isEmpty()) {
            refusedLogin(ctx, user, throttle.failed(user, trusted ? device : null, now));
            loginPage(ctx.status(401), "Wrong user name or password.");
            return;
        }
        String who = session.get().caller().username();
        c.audit().append(who, "login", who, AuditOutcome.OK, "page session" + (trusted ? " (known browser)" : ""));
        endEarlierSession(ctx, who);
        ctx.header("Set-Cookie", cookie(session.get().token(), c.config().sessionTtl().toSeconds()));
        ctx.res().addHeader("Set-Cookie", LoginThrottle.DEVICE_COOKIE + "=" + throttle.succeeded(who)
                + "; Path=/admin/login; Max-Age=31536000; HttpOnly; SameSite=Strict" + (secureCookies ? "; Secure" : ""));
        ctx.redirect("/admin", HttpStatus.SEE_OTHER);
    }

    /**
     * Ends, server-side, the session whose cookie this sign-in carried (whoever's it was), so the cookie replaced in
     * the browser cannot be replayed for the rest of its 30 minutes; audited as {@code session.end}.
     */
    private void endEarlierSession(Context ctx, String who) {
        c.auth().endSession(ctx.cookie(Authenticator.SESSION_COOKIE)).ifPresent(earlier -> c.audit().append(who,
                "session.end", earlier.username(), AuditOutcome.OK, "the browser's earlier session of "
                        + earlier.username() + " ended at a new sign-in"));
    }

    /**
     * Audits a failed sign-in: under the account's name when the account exists, else under a keyed digest of what
     * was typed (it may be a password typed into the wrong field), counted with the other anonymous refusals.
     * When the account starts backing off (and each time the back-off doubles) one {@code login.backoff} row
     * says so.
     */
    private void refusedLogin(Context ctx, String user, LoginThrottle.Failure f) {
        boolean known = c.users().find(user).isPresent();
        if (known) {
            c.audit().append("anonymous@" + ctx.ip(), "login", user, AuditOutcome.REFUSED,
                    "wrong password (failure " + f.failures()
                    + " in a row for this account)");
        } else {
            c.refusals().refused(ctx.ip(), "login_failed", "POST /admin/login as " + c.loginThrottle().usernameDigest(user));
        }
        if (f.alert()) {
            String account = known ? user : c.loginThrottle().usernameDigest(user);
            String detail = f.failures() + " failed sign-ins in a row for account " + account + ", the last from "
                    + ctx.ip() + "; further attempts wait " + (f.blockedForMillis() / 1000) + " s unless they come from "
                    + "a browser that signed in before";
            // The alert and its webhook notification (operator.login_backoff) commit together.
            c.db().inTransaction(conn -> {
                c.audit().append(conn, "server", "login.backoff", account, AuditOutcome.ALERT, detail);
                c.webhooks().emit(conn, org.stationtrust.server.internal.notify.FleetEvent.of(
                        org.stationtrust.server.internal.notify.FleetEventType.OPERATOR_LOGIN_BACKOFF, "", "", detail));
                return null;
            });
        }
    }

    /** An enrollment token as the tokens page lists it. */
    public record TokenRow(String id, String note, String createdBy, String expires, String status, boolean expirable) {
    }

    /** How many enrollment tokens the page lists (one is issued per station: they add up over a fleet's life). */
    public static final int TOKEN_ROWS = 200;

    private void tokens(Context ctx, Caller who) {
        long now = System.currentTimeMillis();
        List<TokenRow> rows = c.enrollmentTokens().newest(TOKEN_ROWS).stream().map(t -> new TokenRow(t.id(), t.note(),
                t.createdBy(), Views.time(t.expiresAt()), t.status(now).name(),
                t.status(now) == EnrollmentTokenStore.EnrollmentToken.Status.OPEN)).toList();
        EnrollmentTokenStore.Counts counts = c.enrollmentTokens().counts(now);
        Render.send(ctx, out -> JtetokensGenerated.render(out, null, Chrome.of("Enrollment tokens", who, "tokens"), rows,
                counts));
    }

    private void issueToken(Context ctx, Caller who) {
        Views.IssuedEnrollmentToken t = EnrollmentTokenApi.issueEnrollmentToken(c.enrollmentTokens(), c.audit(), who, ctx.formParam("note"), Duration.ofDays(1));
        Render.send(ctx, out -> JtesecretGenerated.render(out, null, Chrome.of("Enrollment token issued", who, "tokens"),
                "Give this token to the station installer. It is shown only once and works once, until "
                        + t.expiresAt() + ":", "token", t.token(), "/admin/tokens",
                "Back to tokens"));
    }

    private static final int OPERATOR_ROWS = 50;
    private static final int OPERATOR_WITHIN = 100_000;

    private void audit(Context ctx, Caller who) {
        boolean full = "1".equals(ctx.queryParam("full"));
        // A full walk is bounded (one at a time, one per operator every 30 s: docs/server-api.md, "Rate limits").
        AuditChainReport report = full ? c.fullVerification().verify(who.username()) : c.audit().verifyFromCheckpoint();
        // Counted anonymous refusals are shown apart, so that no flood pushes the real decisions off the page.
        List<MachinePages.AuditRow> events = c.audit().recentExcept(RefusalAudit.ACTION, 200).stream()
                .map(MachinePages.AuditRow::of).toList();
        List<MachinePages.AuditRow> anonymous = c.audit().recentOf(RefusalAudit.ACTION, 20, 10_000).stream()
                .map(MachinePages.AuditRow::of).toList();
        // What people did, apart: thousands of machines' own events would push their decisions off the full list.
        List<MachinePages.AuditRow> operators = c.audit().recentByOperators(OPERATOR_ROWS, OPERATOR_WITHIN).stream()
                .map(MachinePages.AuditRow::of).toList();
        Render.send(ctx, out -> JteauditGenerated.render(out, null, Chrome.of("Audit log", who, "audit"), report,
                operators, events, anonymous));
    }
}
