package org.stationtrust.server.internal.api;

import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.POST;
import static io.javalin.http.HandlerType.PUT;

import io.javalin.http.Context;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.stationtrust.protocol.EnrollmentState;
import org.stationtrust.protocol.ErrorCode;
import org.stationtrust.server.Role;
import org.stationtrust.server.ServerConfig;
import org.stationtrust.server.internal.audit.AuditOutcome;
import org.stationtrust.server.internal.http.ClientAddress;
import org.stationtrust.server.internal.pcr.PcrMap;
import org.stationtrust.server.internal.audit.AuditChainReport;
import org.stationtrust.server.internal.audit.AuditLog;
import org.stationtrust.server.internal.auth.AdminRoute.Surface;
import org.stationtrust.server.internal.auth.AdminRoute;
import org.stationtrust.server.internal.auth.Authenticator;
import org.stationtrust.server.internal.auth.Caller;
import org.stationtrust.server.internal.auth.OperatorAccounts;
import org.stationtrust.server.internal.auth.Secrets;
import org.stationtrust.server.internal.enroll.ApprovalWorkflow;
import org.stationtrust.server.internal.http.ApiException;
import org.stationtrust.server.internal.http.Bodies;
import org.stationtrust.server.internal.http.JsonBodies;
import org.stationtrust.server.internal.http.RateLimiter;
import org.stationtrust.server.internal.store.CredentialStore;
import org.stationtrust.server.internal.store.EnrollmentTokenStore;
import org.stationtrust.server.internal.store.MachineDetail;
import org.stationtrust.server.internal.store.MachineSearch;
import org.stationtrust.server.internal.store.MachineStore;
import org.stationtrust.server.internal.store.PacketReceiptStore;
import org.stationtrust.server.internal.store.StationAuditStore;
import org.stationtrust.server.internal.store.UserStore;

/** The operator JSON API (bearer API tokens). Every route is in {@link #routes()}: the route table. */
public final class AdminApi {
    /** What this class uses of the running server (wired in {@code ServerRoutes}), nothing else. */
    public record Parts(ApprovalWorkflow approvals, AuditLog audit, Authenticator auth, ServerConfig config,
                        CredentialStore credentials, EnrollmentTokenStore enrollmentTokens, RateLimiter loginLimit,
                        MachineStore machines, OperatorAccounts operators, PacketReceiptStore packetReceipts,
                        StationAuditStore stationAudit, UserStore users) {
    }

    /** Rows per page of the three lists (machines, enrollments, enrollment tokens) when no {@code limit} is given. */
    static final int LIST_PAGE = 100;

    private final Parts c;

    public AdminApi(Parts c) {
        this.c = c;
    }

    record Decision(String reason) {
    }

    record GoldenPcrs(Map<String, String> pcrs, String reason) {
    }

    record NewEnrollmentToken(String note, Long ttlSeconds) {
    }

    record NewUser(String username, String password, String role) {
    }

    record NewApiToken(String username, String label, Long ttlSeconds) {
    }

    record PasswordChange(String currentPassword, String newPassword) {
    }

    /** The anonymous redemption of a one-time reset token (POST /api/v1/password-resets). */
    public record PasswordReset(String token, String newPassword) {
    }

    public List<AdminRoute> routes() {
        List<AdminRoute> r = new ArrayList<>();
        r.add(api(GET, "/api/v1/admin/enrollments", Role.AUDITOR, this::listEnrollments));
        r.add(api(GET, "/api/v1/admin/machines", Role.AUDITOR, this::listMachines));
        r.add(api(GET, "/api/v1/admin/machines/{id}", Role.AUDITOR, this::machine));
        r.add(api(GET, "/api/v1/admin/machines/{id}/attestations", Role.AUDITOR, this::history));
        r.add(api(GET, "/api/v1/admin/machines/{id}/packets", Role.AUDITOR, this::packets));
        r.add(api(GET, "/api/v1/admin/machines/{id}/audit-events", Role.AUDITOR, this::stationAudit));
        r.add(api(POST, "/api/v1/admin/machines/{id}/approve", Role.APPROVER, (ctx, who) -> ctx.json(view(
                c.approvals().approve(who, ctx.pathParam("id"), decision(ctx).reason())))));
        r.add(api(POST, "/api/v1/admin/machines/{id}/reject", Role.APPROVER, (ctx, who) -> ctx.json(view(
                c.approvals().reject(who, ctx.pathParam("id"), decision(ctx).reason())))));
        r.add(api(POST, "/api/v1/admin/machines/{id}/revoke", Role.ADMIN, (ctx, who) -> ctx.json(view(
                c.approvals().revoke(who, ctx.pathParam("id"), decision(ctx).reason())))));
        r.add(api(PUT, "/api/v1/admin/machines/{id}/golden-pcrs", Role.ADMIN, this::golden));
        r.add(api(GET, "/api/v1/admin/enrollment-tokens", Role.APPROVER, this::listTokens));
        r.add(api(POST, "/api/v1/admin/enrollment-tokens", Role.ADMIN, this::issueToken));
        r.add(api(POST, "/api/v1/admin/enrollment-tokens/{id}/expire", Role.ADMIN, this::expireToken));
        r.add(api(GET, "/api/v1/admin/audit", Role.AUDITOR, this::audit));
        r.add(api(GET, "/api/v1/admin/audit/verify", Role.AUDITOR, this::verifyAudit));
        r.add(api(GET, "/api/v1/admin/users", Role.ADMIN, (ctx, who) -> ctx.json(users())));
        r.add(api(POST, "/api/v1/admin/users", Role.ADMIN, this::addUser));
        r.add(api(POST, "/api/v1/admin/api-tokens", Role.ADMIN, this::issueApiToken));
        r.add(api(GET, "/api/v1/admin/api-tokens", Role.ADMIN, this::listApiTokens));
        r.add(api(POST, "/api/v1/admin/api-tokens/{id}/revoke", Role.ADMIN, this::revokeApiToken));
        r.add(api(POST, "/api/v1/admin/users/{id}/disable", Role.ADMIN, (ctx, who) -> {
            c.operators().disable(who.username(), who.username(), ctx.pathParam("id"), decision(ctx).reason());
            ctx.json(new Views.UserDisabled(ctx.pathParam("id"), true));
        }));
        r.add(api(POST, "/api/v1/admin/users/{id}/enable", Role.ADMIN, (ctx, who) -> {
            c.operators().enable(who.username(), ctx.pathParam("id"), decision(ctx).reason());
            ctx.json(new Views.UserDisabled(ctx.pathParam("id"), false));
        }));
        r.add(api(POST, "/api/v1/admin/users/{id}/remove", Role.ADMIN, (ctx, who) -> {
            c.operators().remove(who.username(), who.username(), ctx.pathParam("id"), decision(ctx).reason());
            ctx.json(new Views.UserRemoved(ctx.pathParam("id"), true));
        }));
        r.add(api(POST, "/api/v1/admin/users/{id}/password-reset", Role.ADMIN, (ctx, who) -> {
            var reset = c.operators().issueReset(who.username(), ctx.pathParam("id"));
            ctx.status(201).json(new Views.PasswordResetIssued(reset.username(), reset.token(),
                    reset.expiresAt().toString()));
        }));
        r.add(api(POST, "/api/v1/admin/me/password", Role.AUDITOR, (ctx, who) -> {
            PasswordChange p = JsonBodies.parse(Bodies.json(ctx, c.config().maxBodyBytes()), PasswordChange.class);
            if (p.currentPassword() == null || p.newPassword() == null) {
                throw new ApiException(ErrorCode.INVALID_FIELD, "currentPassword and newPassword are required");
            }
            c.operators().changeOwnPassword(who.username(), p.currentPassword().toCharArray(),
                    p.newPassword().toCharArray(), null);
            ctx.json(new Views.PasswordChanged(who.username(), true));
        }));
        return r;
    }

    /** The anonymous redemption of a one-time password reset token (the token is the credential). */
    public void registerPublic(io.javalin.config.RoutesConfig app) {
        app.post("/api/v1/password-resets", ctx -> {
            c.loginLimit().acquire(ClientAddress.limitKey(ctx.ip()));
            PasswordReset r = JsonBodies.parse(Bodies.json(ctx, c.config().maxBodyBytes()), PasswordReset.class);
            String who = c.operators().redeemReset(r.token(), r.newPassword() == null ? null : r.newPassword().toCharArray(),
                    ctx.ip());
            ctx.json(new Views.PasswordChanged(who, true));
        });
    }

    private static AdminRoute api(io.javalin.http.HandlerType m, String path, Role role, AdminRoute.Action a) {
        return new AdminRoute(m, path, role, Surface.API, a);
    }

    private Views.MachineView view(MachineDetail m) {
        return Views.MachineView.of(m, System.currentTimeMillis(), c.config().attestationInterval().toMillis());
    }

    private Decision decision(Context ctx) {
        return JsonBodies.parse(Bodies.json(ctx, c.config().maxBodyBytes()), Decision.class);
    }

    private void listEnrollments(Context ctx, Caller who) {
        String state = ctx.queryParam("state");
        EnrollmentState s;
        try {
            s = state == null ? EnrollmentState.PENDING_APPROVAL : EnrollmentState.parse(state);
        } catch (IllegalArgumentException e) {
            throw new ApiException(ErrorCode.INVALID_FIELD, e.getMessage());
        }
        MachineStore.DetailPage page = c.machines().details(machinePage(ctx, s));
        ctx.json(new Views.Enrollments(page.rows().stream().map(this::view).toList(), next(page)));
    }

    private void listMachines(Context ctx, Caller who) {
        MachineStore.DetailPage page = c.machines().details(machinePage(ctx, null));
        ctx.json(new Views.Machines(page.rows().stream().map(this::view).toList(), next(page)));
    }

    /**
     * One page of a machine list, newest first: {@code limit} rows (1..{@link MachineSearch#MAX_SIZE}, default
     * {@link #LIST_PAGE}) after the {@code after} cursor (the previous page's {@code next}). Keyset on (created_at,
     * id), so machines enrolled while a client pages neither repeat nor push others out of its walk.
     */
    private static MachineSearch machinePage(Context ctx, EnrollmentState state) {
        int limit = limit(ctx, LIST_PAGE, MachineSearch.MAX_SIZE);
        try {
            return new MachineSearch(null, state, null, null, null, null, MachineSearch.Sort.NEWEST,
                    MachineSearch.Cursor.decode(ctx.queryParam("after")), limit);
        } catch (IllegalArgumentException e) {
            throw new ApiException(ErrorCode.INVALID_FIELD, "after: " + e.getMessage());
        }
    }

    private static String next(MachineStore.DetailPage page) {
        return page.next() == null ? null : page.next().encode();
    }

    private MachineDetail load(String id) {
        MachineDetail m = id.length() > 40 ? null : c.machines().find(id).orElse(null);
        if (m == null) throw new ApiException(ErrorCode.NOT_FOUND, "No machine with that id");
        return m;
    }

    private void machine(Context ctx, Caller who) {
        ctx.json(view(load(ctx.pathParam("id"))));
    }

    private void history(Context ctx, Caller who) {
        MachineDetail m = load(ctx.pathParam("id"));
        ctx.json(new Views.AttestationHistory(m.id(), m.attestationSeen(System.currentTimeMillis(),
                c.config().attestationInterval().toMillis()), Views.time(m.attestation().lastAttempt()), Views.time(m.attestation().lastSuccess()),
                c.machines().history(m.id(), 100).stream().map(Views.AttestationView::of).toList()));
    }

    /** Receipts of the capture packets a machine delivered (never their content), newest first. */
    private void packets(Context ctx, Caller who) {
        MachineDetail m = load(ctx.pathParam("id"));
        int limit = limit(ctx, 1000);
        ctx.json(new Views.Packets(m.id(), c.packetReceipts().count(m.id()), c.packetReceipts().list(m.id(), limit)
                .stream().map(p -> new Views.PacketView(p.packetId(), p.sha256(), p.keyId(), Views.time(p.receivedAt())))
                .toList()));
    }

    /** Audit events the machine delivered from its own log, newest first (by the station's clock). */
    private void stationAudit(Context ctx, Caller who) {
        MachineDetail m = load(ctx.pathParam("id"));
        int limit = limit(ctx, 200);
        ctx.json(new Views.StationEvents(m.id(), c.stationAudit().count(m.id()), c.stationAudit().list(m.id(), limit)
                .stream().map(e -> new Views.StationEventView(e.event().eventId(), e.event().occurredAt(),
                        e.event().event(), storedJson(e.event().eventId(), e.event().fields()),
                        Views.time(e.receivedAt()))).toList()));
    }

    private static com.fasterxml.jackson.databind.JsonNode storedJson(String eventId, String fields) {
        try {
            return org.stationtrust.protocol.WireJson.strict().readTree(fields);
        } catch (java.io.IOException ex) {
            throw new IllegalStateException("stored station event " + eventId + " is not JSON", ex);
        }
    }

    /** The {@code limit} query parameter, 1..1000. */
    static int limit(Context ctx, int fallback) {
        return limit(ctx, fallback, 1000);
    }

    /** The {@code limit} query parameter, 1..max. */
    static int limit(Context ctx, int fallback, int max) {
        String l = ctx.queryParam("limit");
        if (l == null) return fallback;
        try {
            int n = Integer.parseInt(l);
            if (n >= 1 && n <= max) return n;
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new ApiException(ErrorCode.INVALID_FIELD, "limit must be a number 1.." + max + ", got '"
                + (l.length() > 20 ? l.substring(0, 20) + "..." : l) + "'");
    }

    private void golden(Context ctx, Caller who) {
        GoldenPcrs g = JsonBodies.parse(Bodies.json(ctx, c.config().maxBodyBytes()), GoldenPcrs.class);
        try {
            ctx.json(view(c.approvals().setGoldenPcrs(who, ctx.pathParam("id"), PcrMap.fromHexJson(g.pcrs()),
                    g.reason())));
        } catch (IllegalArgumentException e) {
            throw new ApiException(ErrorCode.INVALID_FIELD, e.getMessage());
        }
    }

    /** One page of enrollment tokens, newest first; {@code limit} and {@code after} as for the machine lists. */
    private void listTokens(Context ctx, Caller who) {
        int limit = limit(ctx, LIST_PAGE, MachineSearch.MAX_SIZE);
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
        if (!c.enrollmentTokens().expire(id)) {
            throw new ApiException(ErrorCode.NOT_FOUND, "No open enrollment token with that id");
        }
        c.audit().append(who.username(), "enrollment_token.expire", id, AuditOutcome.OK, "expired by operator");
        ctx.json(new Views.StatusChanged<>(id, EnrollmentTokenStore.EnrollmentToken.Status.EXPIRED));
    }

    private void audit(Context ctx, Caller who) {
        int limit = limit(ctx, 200);
        ctx.json(new Views.AuditEvents(c.audit().recent(limit).stream().map(e -> new Views.AuditEventView(e.seq(),
                Views.time(e.at()), e.actor(), e.action(), e.subject(), e.outcome(), e.detail(), e.hash())).toList()));
    }

    /** Incremental from the last verified row by default; {@code ?full=true} walks the whole chain. */
    private void verifyAudit(Context ctx, Caller who) {
        boolean full = "true".equals(ctx.queryParam("full"));
        AuditChainReport r = full ? c.audit().verify() : c.audit().verifyFromCheckpoint();
        ctx.json(new Views.AuditVerification(r.intact(), r.rows(), r.problems(), r.full(), r.fromSeq()));
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
        if (!c.credentials().revokeApiToken(id)) {
            throw new ApiException(ErrorCode.NOT_FOUND, "No active API token with that id");
        }
        c.audit().append(who.username(), "api_token.revoke", id, AuditOutcome.OK, "revoked by operator");
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
