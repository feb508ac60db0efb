package org.stationtrust.server.internal.web;

import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.POST;

import io.javalin.Javalin;
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
    public void registerPublic(Javalin app) {
        app.get("/admin/login", ctx -> ctx.html(Html.page("Sign in", null, loginForm(ctx, null))));
        app.post("/admin/login", this::login);
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
        c.loginLimit().acquire("ip:" + ctx.ip());
        String expected = ctx.cookie(LOGIN_COOKIE);
        String presented = ctx.formParam("login_csrf");
        if (expected == null || presented == null || !java.security.MessageDigest.isEqual(
                expected.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                presented.getBytes(java.nio.charset.StandardCharsets.UTF_8))) {
            throw new org.stationtrust.server.internal.http.ApiException(
                    org.stationtrust.protocol.ErrorCode.CSRF_TOKEN_INVALID,
                    "The sign-in form is stale or came from another site: reload /admin/login and sign in again");
        }
        String user = ctx.formParam("username");
        String password = ctx.formParam("password");
        var session = (user == null || password == null || password.length() > 1024) ? java.util.Optional.<Authenticator.Session>empty()
                : c.auth().login(user, password.toCharArray());
        if (session.isEmpty()) {
            c.audit().append("anonymous@" + ctx.ip(), "login", user == null ? "" : user, "REFUSED", "wrong user or password");
            ctx.status(401).html(Html.page("Sign in", null, loginForm(ctx, "Wrong user name or password.")));
            return;
        }
        c.audit().append(session.get().caller().username(), "login", session.get().caller().username(), "OK", "page session");
        ctx.header("Set-Cookie", cookie(session.get().token(), c.config().sessionTtl().toSeconds()));
        ctx.redirect("/admin", HttpStatus.SEE_OTHER);
    }

    private long interval() {
        return c.config().attestationInterval().toMillis();
    }

    private void pending(Context ctx, Caller who) {
        StringBuilder b = new StringBuilder();
        List<Machine> pending = c.machines().list(EnrollmentState.PENDING_APPROVAL);
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
        ctx.html(Html.page("Pending enrollments", who.username(), b.toString() + logout(who)));
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
        AuditChainReport report = c.audit().verify();
        StringBuilder b = new StringBuilder("<p id=\"chain\">").append(report.intact()
                ? "Hash chain intact (" + report.rows() + " events)."
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
