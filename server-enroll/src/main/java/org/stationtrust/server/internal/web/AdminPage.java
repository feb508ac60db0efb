package org.stationtrust.server.internal.web;

import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.POST;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.stationtrust.protocol.EnrollmentState;
import org.stationtrust.server.Role;
import org.stationtrust.server.internal.api.AdminApi;
import org.stationtrust.server.internal.api.Components;
import org.stationtrust.server.internal.api.Views;
import org.stationtrust.server.internal.attest.PcrMap;
import org.stationtrust.server.internal.audit.AuditChainReport;
import org.stationtrust.server.internal.audit.AuditEvent;
import org.stationtrust.server.internal.auth.AdminRoute;
import org.stationtrust.server.internal.auth.Authenticator;
import org.stationtrust.server.internal.auth.Caller;
import org.stationtrust.server.internal.auth.LoginThrottle;
import org.stationtrust.server.internal.store.EnrollmentTokenStore;
import org.stationtrust.server.internal.store.Machine;
import org.stationtrust.server.internal.store.MachineStore;

/** The server-rendered admin page: no JavaScript, forms with CSRF tokens, session cookie. */
public final class AdminPage {
    static final String LOGIN_COOKIE = "st_login";
    private final Components c;
    private final boolean secureCookies;

    public AdminPage(Components c, boolean secureCookies) {
        this.c = c;
        this.secureCookies = secureCookies;
    }

    /** The login form and its POST: the only page routes open to anonymous callers. */
    public void registerPublic(RoutesConfig app) {
        app.get("/admin/login", ctx -> ctx.html(Html.page("Sign in", null, loginForm(ctx, null))));
        app.post("/admin/login", this::login);
        // The one-time reset token is the credential here (an admin issued it); outside /admin, no session.
        app.get(RESET_PAGE, ctx -> ctx.html(Html.page("Set a new password", null, resetForm(null))));
        app.post(RESET_PAGE, ctx -> {
            c.loginLimit().acquire("ip:" + ctx.ip());
            String next = ctx.formParam("password");
            c.operators().redeemReset(ctx.formParam("token"), next == null ? null : next.toCharArray(), ctx.ip());
            ctx.redirect("/admin/login", HttpStatus.SEE_OTHER);
        });
    }

    static final String RESET_PAGE = "/reset-password";

    private static String resetForm(String error) {
        return (error == null ? "" : "<p class=\"warn\">" + Html.esc(error) + "</p>") + "<form method=\"post\" action=\""
                + RESET_PAGE + "\"><p><label>Reset token <input name=\"token\" id=\"token\" required maxlength=\"100\">"
                + "</label></p><p><label>New password <input type=\"password\" name=\"password\" id=\"password\" required "
                + "minlength=\"12\" maxlength=\"1024\" autocomplete=\"new-password\"></label></p><button type=\"submit\" "
                + "id=\"reset\">Set password</button></form>";
    }

    /** Operators: disable, enable, remove, issue a one-time password reset (admins). */
    private void users(Context ctx, Caller who) {
        StringBuilder b = new StringBuilder("<table id=\"operators\"><tr><th>Operator</th><th>Role</th><th>State</th>"
                + "<th>Actions</th></tr>");
        for (var u : c.users().list()) {
            String n = u.username();
            b.append("<tr data-user=\"").append(Html.esc(n)).append("\"><td>").append(Html.esc(n)).append("</td><td>")
                    .append(Html.esc(u.role().name().toLowerCase(java.util.Locale.ROOT))).append("</td><td>")
                    .append(u.disabled() ? "<span class=\"warn\">disabled</span>" : "enabled").append("</td><td>");
            if (!n.equals(who.username())) {
                b.append(u.disabled() ? Html.reasonForm("/admin/users/" + n + "/enable", who.csrfToken(), "Enable",
                        "enable-" + n) : Html.reasonForm("/admin/users/" + n + "/disable", who.csrfToken(), "Disable",
                        "disable-" + n));
                b.append(Html.reasonForm("/admin/users/" + n + "/remove", who.csrfToken(), "Remove", "remove-" + n));
                b.append("<form class=\"inline\" method=\"post\" action=\"/admin/users/").append(Html.esc(n))
                        .append("/password-reset\">").append(Html.hidden("csrf", who.csrfToken()))
                        .append("<button type=\"submit\" id=\"reset-").append(Html.esc(n))
                        .append("\">Password reset token</button></form>");
            }
            b.append("</td></tr>");
        }
        ctx.html(Html.page("Operators", who.username(), b.append("</table>").toString()));
    }

    private void issueReset(Context ctx, Caller who) {
        var reset = c.operators().issueReset(who.username(), ctx.pathParam("id"));
        ctx.html(Html.page("Password reset token", who.username(), "<p>Give this one-time token to "
                + Html.esc(reset.username()) + " over a trusted channel. It works once, until " + Html.esc(
                reset.expiresAt().toString()) + ", at <code>" + RESET_PAGE + "</code>:</p><p><code id=\"reset-token\">"
                + Html.esc(reset.token()) + "</code></p><p><a href=\"/admin/users\">Back to operators</a></p>"));
    }

    private void passwordForm(Context ctx, Caller who) {
        ctx.html(Html.page("Change my password", who.username(), "<form method=\"post\" action=\"/admin/password\">"
                + Html.hidden("csrf", who.csrfToken()) + "<p><label>Current password <input type=\"password\" "
                + "name=\"current\" id=\"current\" required maxlength=\"1024\" autocomplete=\"current-password\"></label>"
                + "</p><p><label>New password <input type=\"password\" name=\"password\" id=\"password\" required "
                + "minlength=\"12\" maxlength=\"1024\" autocomplete=\"new-password\"></label></p><button type=\"submit\" "
                + "id=\"change\">Change</button></form>"));
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
        List<AdminRoute> r = new ArrayList<>();
        r.add(page(GET, "/admin", Role.AUDITOR, this::pending));
        r.add(page(GET, "/admin/machines", Role.AUDITOR, this::machines));
        r.add(page(GET, "/admin/machines/{id}", Role.AUDITOR, this::machine));
        r.add(page(POST, "/admin/machines/{id}/approve", Role.APPROVER, (ctx, who) -> {
            c.approvals().approve(who, ctx.pathParam("id"), ctx.formParam("reason"));
            ctx.redirect("/admin/machines/" + ctx.pathParam("id"), HttpStatus.SEE_OTHER);
        }));
        r.add(page(POST, "/admin/machines/{id}/reject", Role.APPROVER, (ctx, who) -> {
            c.approvals().reject(who, ctx.pathParam("id"), ctx.formParam("reason"));
            ctx.redirect("/admin/machines/" + ctx.pathParam("id"), HttpStatus.SEE_OTHER);
        }));
        r.add(page(POST, "/admin/machines/{id}/revoke", Role.ADMIN, (ctx, who) -> {
            c.approvals().revoke(who, ctx.pathParam("id"), ctx.formParam("reason"));
            ctx.redirect("/admin/machines/" + ctx.pathParam("id"), HttpStatus.SEE_OTHER);
        }));
        r.add(page(POST, "/admin/machines/{id}/golden-pcrs", Role.ADMIN, (ctx, who) -> {
            java.util.Map<String, String> hex = new java.util.LinkedHashMap<>();
            String text = ctx.formParam("pcrs") == null ? "" : ctx.formParam("pcrs");
            if (text.length() > 4096) {
                throw new org.stationtrust.server.internal.http.ApiException(
                        org.stationtrust.protocol.ErrorCode.INVALID_FIELD, "Too much PCR text");
            }
            for (String line : text.split("\\R")) {
                if (line.isBlank()) continue;
                String[] kv = line.split("=", 2);
                if (kv.length != 2) {
                    throw new org.stationtrust.server.internal.http.ApiException(
                            org.stationtrust.protocol.ErrorCode.INVALID_FIELD,
                            "Write one PCR per line as index=hex, e.g. 7=ab12...");
                }
                hex.put(kv[0].strip(), kv[1].strip());
            }
            try {
                c.approvals().setGoldenPcrs(who, ctx.pathParam("id"), PcrMap.fromHexJson(hex), ctx.formParam("reason"));
            } catch (IllegalArgumentException e) {
                throw new org.stationtrust.server.internal.http.ApiException(
                        org.stationtrust.protocol.ErrorCode.INVALID_FIELD, e.getMessage());
            }
            ctx.redirect("/admin/machines/" + ctx.pathParam("id"), HttpStatus.SEE_OTHER);
        }));
        r.add(page(GET, "/admin/tokens", Role.APPROVER, this::tokens));
        r.add(page(POST, "/admin/tokens", Role.ADMIN, this::issueToken));
        r.add(page(POST, "/admin/tokens/{id}/expire", Role.ADMIN, (ctx, who) -> {
            if (c.enrollmentTokens().expire(ctx.pathParam("id"))) {
                c.audit().append(who.username(), "enrollment_token.expire", ctx.pathParam("id"), "OK", "expired on page");
            }
            ctx.redirect("/admin/tokens", HttpStatus.SEE_OTHER);
        }));
        r.add(page(GET, "/admin/audit", Role.AUDITOR, this::audit));
        r.add(page(GET, "/admin/users", Role.ADMIN, this::users));
        r.add(page(POST, "/admin/users/{id}/disable", Role.ADMIN, (ctx, who) -> {
            c.operators().disable(who.username(), who.username(), ctx.pathParam("id"), ctx.formParam("reason"));
            ctx.redirect("/admin/users", HttpStatus.SEE_OTHER);
        }));
        r.add(page(POST, "/admin/users/{id}/enable", Role.ADMIN, (ctx, who) -> {
            c.operators().enable(who.username(), ctx.pathParam("id"), ctx.formParam("reason"));
            ctx.redirect("/admin/users", HttpStatus.SEE_OTHER);
        }));
        r.add(page(POST, "/admin/users/{id}/remove", Role.ADMIN, (ctx, who) -> {
            c.operators().remove(who.username(), who.username(), ctx.pathParam("id"), ctx.formParam("reason"));
            ctx.redirect("/admin/users", HttpStatus.SEE_OTHER);
        }));
        r.add(page(POST, "/admin/users/{id}/password-reset", Role.ADMIN, this::issueReset));
        r.add(page(GET, "/admin/password", Role.AUDITOR, this::passwordForm));
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
    private String loginForm(Context ctx, String error) {
        String token = org.stationtrust.server.internal.auth.Secrets.newToken("");
        ctx.header("Set-Cookie", LOGIN_COOKIE + "=" + token + "; Path=/admin/login; Max-Age=900; HttpOnly; "
                + "SameSite=Strict" + (secureCookies ? "; Secure" : ""));
        return (error == null ? "" : "<p class=\"warn\" id=\"login-error\">" + Html.esc(error) + "</p>")
                + "<form method=\"post\" action=\"/admin/login\">" + Html.hidden("login_csrf", token) + "<p><label>User <input name=\"username\" id=\"username\" "
                + "autocomplete=\"username\" required maxlength=\"64\"></label></p><p><label>Password <input "
                + "type=\"password\" name=\"password\" id=\"password\" autocomplete=\"current-password\" required "
                + "maxlength=\"1024\"></label></p><button type=\"submit\" id=\"login\">Sign in</button></form>";
    }

    private void login(Context ctx) {
        String expected = ctx.cookie(LOGIN_COOKIE);
        String presented = ctx.formParam("login_csrf");
        if (expected == null || presented == null || !java.security.MessageDigest.isEqual(
                expected.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                presented.getBytes(java.nio.charset.StandardCharsets.UTF_8))) {
            c.loginLimit().acquire("ip:" + ctx.ip());
            throw new org.stationtrust.server.internal.http.ApiException(
                    org.stationtrust.protocol.ErrorCode.CSRF_TOKEN_INVALID,
                    "The sign-in form is stale or came from another site: reload /admin/login and sign in again");
        }
        String user = ctx.formParam("username");
        String password = ctx.formParam("password");
        if (user == null || password == null || user.length() > 64 || password.length() > 1024) {
            c.loginLimit().acquire("ip:" + ctx.ip());
            ctx.status(401).html(Html.page("Sign in", null, loginForm(ctx, "Wrong user name or password.")));
            return;
        }
        LoginThrottle throttle = c.loginThrottle();
        String device = ctx.cookie(LoginThrottle.DEVICE_COOKIE);
        boolean trusted = throttle.trustedDevice(user, device);
        long now = System.currentTimeMillis();
        if (!trusted) {
            // Per address, then per account (whatever the address): a browser that signed in before passes both.
            c.loginLimit().acquire("ip:" + ctx.ip());
            throttle.admit(user, now);
        }
        var session = c.auth().login(user, password.toCharArray());
        if (session.isEmpty()) {
            refusedLogin(ctx, user, throttle.failed(user, trusted ? device : null, now));
            ctx.status(401).html(Html.page("Sign in", null, loginForm(ctx, "Wrong user name or password.")));
            return;
        }
        String who = session.get().caller().username();
        c.audit().append(who, "login", who, "OK", "page session" + (trusted ? " (known browser)" : ""));
        ctx.header("Set-Cookie", cookie(session.get().token(), c.config().sessionTtl().toSeconds()));
        ctx.res().addHeader("Set-Cookie", LoginThrottle.DEVICE_COOKIE + "=" + throttle.succeeded(who)
                + "; Path=/admin/login; Max-Age=31536000; HttpOnly; SameSite=Strict" + (secureCookies ? "; Secure" : ""));
        ctx.redirect("/admin", HttpStatus.SEE_OTHER);
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
            c.audit().append("anonymous@" + ctx.ip(), "login", user, "REFUSED", "wrong password (failure " + f.failures()
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
                c.audit().append(conn, "server", "login.backoff", account, "ALERT", detail);
                c.webhooks().emit(conn, org.stationtrust.server.internal.notify.FleetEvent.of(
                        org.stationtrust.server.internal.notify.FleetEventType.OPERATOR_LOGIN_BACKOFF, "", "", detail));
                return null;
            });
        }
    }

    private long interval() {
        return c.config().attestationInterval().toMillis();
    }

    private void pending(Context ctx, Caller who) {
        StringBuilder b = new StringBuilder();
        List<Machine> pending = c.machines().list(EnrollmentState.PENDING_APPROVAL);
        List<Machine> unactivated = c.machines().list(EnrollmentState.PENDING_ACTIVATION);
        List<Machine> all = pending.isEmpty() ? List.of() : c.machines().listAll();
        if (pending.isEmpty()) b.append("<p id=\"no-pending\">No enrollment awaits approval.</p>");
        else b.append("<table id=\"pending\"><tr><th>Machine</th><th>EK certificate</th><th>TPM</th><th>First quote PCRs"
                + "</th><th>Source / time</th><th>Decision</th></tr>");
        for (Machine m : pending) {
            b.append("<tr class=\"enrollment\" data-machine=\"").append(Html.esc(m.id())).append("\"><td><a href=\"/admin/machines/")
                    .append(Html.esc(m.id())).append("\">").append(Html.esc(m.name())).append("</a><br><code>")
                    .append(Html.esc(m.id())).append("</code>");
            if (m.replacesMachine() != null) {
                b.append("<br><span class=\"warn\">Re-enrollment of a known EK (previous machine ")
                        .append(Html.esc(m.replacesMachine())).append("): TPM cleared or new disk image?</span>");
            }
            b.append(sameEkWarning(m, pending, unactivated)).append(sameNameWarning(m, all));
            b.append("</td><td>");
            if (m.ekVerified()) {
                b.append("subject: ").append(Html.esc(m.ekSubject())).append("<br>issuer: ").append(Html.esc(m.ekIssuer()))
                        .append("<br>serial: <code>").append(Html.esc(m.ekSerial())).append("</code>");
            } else {
                b.append("<span class=\"warn\">EK unverified (no EK certificate): only an admin may approve</span>");
            }
            b.append("</td><td>").append(Html.esc(m.tpmManufacturer())).append("</td><td>").append(pcrList(m.firstQuotePcrs()))
                    .append("</td><td>").append(Html.esc(m.requestSource())).append("<br>").append(Views.time(m.createdAt()))
                    .append("</td><td>");
            if (who.role().includes(Role.APPROVER) && (m.ekVerified() || who.role().includes(Role.ADMIN))) {
                b.append(Html.reasonForm("/admin/machines/" + m.id() + "/approve", who.csrfToken(), "Approve",
                        "approve-" + m.id()));
            }
            if (who.role().includes(Role.APPROVER)) {
                b.append(Html.reasonForm("/admin/machines/" + m.id() + "/reject", who.csrfToken(), "Reject",
                        "reject-" + m.id()));
            }
            b.append("</td></tr>");
        }
        if (!pending.isEmpty()) b.append("</table>");
        b.append(unactivatedTable(unactivated, pending));
        ctx.html(Html.page("Pending enrollments", who.username(), b.toString() + logout(who)));
    }

    /**
     * Enrollments still waiting for their TPM to prove possession of the EK (activation). One that shares its EK
     * with another pending enrollment is shown beside it: only the one that activates supersedes the others, so a
     * replay of a public EK certificate cannot cancel the real station's enrollment.
     */
    private static String unactivatedTable(List<Machine> unactivated, List<Machine> pending) {
        if (unactivated.isEmpty()) return "";
        StringBuilder b = new StringBuilder("<h2>Waiting for activation</h2><table id=\"unactivated\"><tr><th>Machine"
                + "</th><th>EK</th><th>Source / time</th></tr>");
        int shown = 0;
        for (Machine m : unactivated) {
            if (++shown > 100) {
                b.append("<tr><td colspan=\"3\">").append(unactivated.size() - 100).append(" more not shown</td></tr>");
                break;
            }
            b.append("<tr class=\"unactivated\" data-machine=\"").append(Html.esc(m.id())).append("\"><td>")
                    .append(Html.esc(m.name())).append("<br><code>").append(Html.esc(m.id())).append("</code>")
                    .append(sameEkWarning(m, pending, unactivated)).append("</td><td>")
                    .append(m.ekVerified() ? Html.esc(m.ekSubject()) : "unverified").append("</td><td>")
                    .append(Html.esc(m.requestSource())).append("<br>").append(Views.time(m.createdAt()))
                    .append("</td></tr>");
        }
        return b.append("</table>").toString();
    }

    /** One station can be named like another: the approver is told which machines already carry the name. */
    private static String sameNameWarning(Machine m, List<Machine> all) {
        List<String> others = new ArrayList<>();
        for (Machine o : all) {
            if (!o.id().equals(m.id()) && o.name().equalsIgnoreCase(m.name()) && o.state() != EnrollmentState.REJECTED) {
                others.add(o.id() + " (" + o.state() + ")");
            }
        }
        if (others.isEmpty()) return "";
        return "<br><span class=\"warn same-name\">Another machine already has this name: " + Html.esc(String.join(", ",
                others)) + "</span>";
    }

    private static String sameEkWarning(Machine m, List<Machine> pending, List<Machine> unactivated) {
        List<String> others = new ArrayList<>();
        for (List<Machine> list : List.of(pending, unactivated)) {
            for (Machine o : list) {
                if (!o.id().equals(m.id()) && o.ekName() != null && o.ekName().equals(m.ekName())) others.add(o.id());
            }
        }
        if (others.isEmpty()) return "";
        return "<br><span class=\"warn same-ek\">Same EK as other pending enrollment(s) " + Html.esc(String.join(", ",
                others)) + ": only the one whose TPM activates supersedes the others</span>";
    }

    private static String pcrList(String json) {
        if (json == null) return "";
        StringBuilder b = new StringBuilder();
        PcrMap.toHex(json).forEach((k, v) -> b.append("PCR ").append(k).append(": <code>").append(Html.esc(v))
                .append("</code><br>"));
        return b.toString();
    }

    private static String logout(Caller who) {
        return "<form method=\"post\" action=\"/admin/logout\">" + Html.hidden("csrf", who.csrfToken())
                + "<button type=\"submit\" id=\"logout\">Sign out</button></form>";
    }

    private void machines(Context ctx, Caller who) {
        StringBuilder b = new StringBuilder("<table id=\"machines\"><tr><th>Machine</th><th>State</th><th>Attestation</th>"
                + "<th>Last attempt</th><th>Last success</th></tr>");
        long now = System.currentTimeMillis();
        for (Machine m : c.machines().listAll()) {
            String att = Views.attestation(m, now, interval());
            b.append("<tr data-machine=\"").append(Html.esc(m.id())).append("\"><td><a href=\"/admin/machines/")
                    .append(Html.esc(m.id())).append("\">").append(Html.esc(m.name())).append("</a></td><td class=\"state\">")
                    .append(m.state()).append("</td><td class=\"").append("OK".equals(att) ? "" : "warn").append("\">")
                    .append(Html.esc(att)).append("</td><td>").append(Html.esc(Views.time(m.lastAttemptAt())))
                    .append("</td><td>").append(Html.esc(Views.time(m.lastSuccessAt()))).append("</td></tr>");
        }
        ctx.html(Html.page("Machines", who.username(), b.append("</table>").toString()));
    }

    private void machine(Context ctx, Caller who) {
        String id = ctx.pathParam("id");
        Machine m = id.length() > 40 ? null : c.machines().find(id).orElse(null);
        if (m == null) {
            ctx.status(404).html(Html.page("Not found", who.username(), "<p>No machine with that id.</p>"));
            return;
        }
        StringBuilder b = new StringBuilder("<table id=\"machine\">");
        for (Map.Entry<String, Object> e : Views.machine(m, interval()).entrySet()) {
            if (e.getKey().equals("firstQuotePcrs")) continue;
            b.append("<tr><th>").append(Html.esc(e.getKey())).append("</th><td id=\"f-").append(Html.esc(e.getKey()))
                    .append("\">").append(Html.esc(e.getValue())).append("</td></tr>");
        }
        b.append("<tr><th>firstQuotePcrs</th><td>").append(pcrList(m.firstQuotePcrs())).append("</td></tr></table>");
        if (m.state() == EnrollmentState.PENDING_APPROVAL && who.role().includes(Role.APPROVER)) {
            b.append("<h2>Decision</h2>");
            if (m.ekVerified() || who.role().includes(Role.ADMIN)) {
                b.append(Html.reasonForm("/admin/machines/" + m.id() + "/approve", who.csrfToken(), "Approve", "approve"));
            }
            b.append(Html.reasonForm("/admin/machines/" + m.id() + "/reject", who.csrfToken(), "Reject", "reject"));
        }
        if (m.state() == EnrollmentState.ACTIVE && who.role().includes(Role.ADMIN)) {
            b.append("<h2>Revoke</h2>").append(Html.reasonForm("/admin/machines/" + m.id() + "/revoke", who.csrfToken(),
                    "Revoke", "revoke"));
            b.append("<h2>PCR policy</h2><p>In force: ").append(m.goldenPcrs() != null ? "golden values" : "baseline from "
                    + "approval").append("</p>").append(pcrList(m.policyPcrs()))
                    .append("<form method=\"post\" action=\"/admin/machines/").append(Html.esc(m.id()))
                    .append("/golden-pcrs\">").append(Html.hidden("csrf", who.csrfToken()))
                    .append("<textarea name=\"pcrs\" id=\"golden-pcrs\" rows=\"4\" cols=\"80\" placeholder=\"7=<64 hex "
                            + "digits>, one PCR per line\"></textarea><br><input name=\"reason\" id=\"golden-reason\" "
                            + "placeholder=\"reason (required)\" required minlength=\"3\" maxlength=\"500\"> <button "
                            + "type=\"submit\" id=\"set-golden\">Set golden values</button></form>");
        }
        b.append(BootSection.html(c.attestation().measuredBoot(), m.id()));
        b.append("<h2>Attestation history</h2><table id=\"history\"><tr><th>At</th><th>Outcome</th><th>Detail</th></tr>");
        for (MachineStore.AttestationRecord r : c.machines().history(m.id(), 50)) {
            b.append("<tr><td>").append(Views.time(r.at())).append("</td><td>").append(Html.esc(r.outcome()))
                    .append("</td><td>").append(Html.esc(r.detail())).append("</td></tr>");
        }
        ctx.html(Html.page("Machine " + m.name(), who.username(), b.append("</table>").toString()));
    }

    private void tokens(Context ctx, Caller who) {
        StringBuilder b = new StringBuilder();
        if (who.role().includes(Role.ADMIN)) {
            b.append("<form method=\"post\" action=\"/admin/tokens\">").append(Html.hidden("csrf", who.csrfToken()))
                    .append("<input name=\"note\" id=\"token-note\" placeholder=\"note (which station)\" maxlength=\"200\"> "
                            + "<button type=\"submit\" id=\"issue-token\">Issue one-time enrollment token (24 h)"
                            + "</button></form>");
        }
        b.append("<table id=\"tokens\"><tr><th>Id</th><th>Note</th><th>By</th><th>Expires</th><th>Status</th><th></th></tr>");
        long now = System.currentTimeMillis();
        for (EnrollmentTokenStore.EnrollmentToken t : c.enrollmentTokens().list()) {
            b.append("<tr><td><code>").append(Html.esc(t.id())).append("</code></td><td>").append(Html.esc(t.note()))
                    .append("</td><td>").append(Html.esc(t.createdBy())).append("</td><td>")
                    .append(Views.time(t.expiresAt())).append("</td><td>").append(t.status(now)).append("</td><td>");
            if ("OPEN".equals(t.status(now)) && who.role().includes(Role.ADMIN)) {
                b.append("<form class=\"inline\" method=\"post\" action=\"/admin/tokens/").append(Html.esc(t.id()))
                        .append("/expire\">").append(Html.hidden("csrf", who.csrfToken()))
                        .append("<button type=\"submit\">Expire</button></form>");
            }
            b.append("</td></tr>");
        }
        ctx.html(Html.page("Enrollment tokens", who.username(), b.append("</table>").toString()));
    }

    private void issueToken(Context ctx, Caller who) {
        Map<String, Object> t = AdminApi.issueEnrollmentToken(c, who, ctx.formParam("note"), Duration.ofDays(1));
        ctx.html(Html.page("Enrollment token issued", who.username(), "<p>Give this token to the station installer. "
                + "It is shown only once and works once, until " + Html.esc(t.get("expiresAt")) + ":</p><p><code id=\"token\">"
                + Html.esc(t.get("token")) + "</code></p><p><a href=\"/admin/tokens\">Back to tokens</a></p>"));
    }

    private void audit(Context ctx, Caller who) {
        boolean full = "1".equals(ctx.queryParam("full"));
        AuditChainReport report = full ? c.audit().verify() : c.audit().verifyFromCheckpoint();
        StringBuilder b = new StringBuilder("<p id=\"chain\">").append(report.intact()
                ? "Hash chain intact (" + report.rows() + " events; " + (report.full() ? "all verified now"
                        : "verified from event " + report.fromSeq() + ", earlier ones at an earlier verification: "
                        + "<a href=\"/admin/audit?full=1\">verify all</a>") + ")."
                : "<span class=\"warn\">Hash chain BROKEN: " + Html.esc(String.join("; ", report.problems())) + "</span>")
                .append("</p><table id=\"audit\"><tr><th>#</th><th>At</th><th>Actor</th><th>Action</th><th>Subject</th>"
                        + "<th>Outcome</th><th>Detail</th></tr>");
        for (AuditEvent e : c.audit().recent(200)) {
            b.append("<tr><td>").append(e.seq()).append("</td><td>").append(Views.time(e.at())).append("</td><td>")
                    .append(Html.esc(e.actor())).append("</td><td>").append(Html.esc(e.action())).append("</td><td>")
                    .append(Html.esc(e.subject())).append("</td><td>").append(Html.esc(e.outcome())).append("</td><td>")
                    .append(Html.esc(e.detail())).append("</td></tr>");
        }
        ctx.html(Html.page("Audit log", who.username(), b.append("</table>").toString()));
    }
}
