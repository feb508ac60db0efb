package org.stationtrust.server.internal.api;

import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import org.stationtrust.protocol.ErrorCode;
import org.stationtrust.server.Role;
import org.stationtrust.server.ServerConfig;
import org.stationtrust.server.internal.audit.AuditLog;
import org.stationtrust.server.internal.audit.FullVerificationGate;
import org.stationtrust.server.internal.auth.AdminRoute;
import org.stationtrust.server.internal.auth.AdminRoute.Surface;
import org.stationtrust.server.internal.auth.Authenticator;
import org.stationtrust.server.internal.auth.OperatorAccounts;
import org.stationtrust.server.internal.enroll.ApprovalWorkflow;
import org.stationtrust.server.internal.http.ApiException;
import org.stationtrust.server.internal.http.Bodies;
import org.stationtrust.server.internal.http.JsonBodies;
import org.stationtrust.server.internal.http.RateLimiter;
import org.stationtrust.server.internal.store.AttestationStore;
import org.stationtrust.server.internal.store.CredentialStore;
import org.stationtrust.server.internal.store.EnrollmentTokenStore;
import org.stationtrust.server.internal.store.MachineListing;
import org.stationtrust.server.internal.store.MachineStore;
import org.stationtrust.server.internal.store.PacketReceiptStore;
import org.stationtrust.server.internal.store.StationAuditStore;
import org.stationtrust.server.internal.store.UserStore;

/**
 * The operator JSON API (bearer API tokens). {@link #routes()} is its route table, one class per concern:
 * {@link MachineApi} (machines, enrollments, decisions), {@link EnrollmentTokenApi}, {@link AuditApi} and
 * {@link OperatorApi} (operators, API tokens, passwords); what they share (the list limits, the decision body) is here.
 */
public final class AdminApi {
    /** What this class uses of the running server (wired in {@code ServerRoutes}), nothing else. */
    public record Parts(ApprovalWorkflow approvals, AuditLog audit, Authenticator auth, ServerConfig config,
                        CredentialStore credentials, EnrollmentTokenStore enrollmentTokens, RateLimiter loginLimit,
                        MachineStore machines, MachineListing listing, AttestationStore attestations,
                        OperatorAccounts operators, PacketReceiptStore packetReceipts,
                        StationAuditStore stationAudit, UserStore users, FullVerificationGate fullVerification) {
    }

    /** Rows per page of the three lists (machines, enrollments, enrollment tokens) when no {@code limit} is given. */
    static final int LIST_PAGE = 100;

    private final Parts c;

    public AdminApi(Parts c) {
        this.c = c;
    }

    /** The body of a decision on a machine or an operator: why (docs/server-api.md, "Reasons"). */
    record Decision(String reason) {
    }

    /** The anonymous redemption of a one-time reset token (POST /api/v1/password-resets). */
    public record PasswordReset(String token, String newPassword) {
    }

    public List<AdminRoute> routes() {
        List<AdminRoute> r = new ArrayList<>(new MachineApi(c).routes());
        r.addAll(new EnrollmentTokenApi(c).routes());
        r.addAll(new AuditApi(c).routes());
        r.addAll(new OperatorApi(c).routes());
        return r;
    }

    /** The anonymous redemption of a one-time password reset token (the token is the credential). */
    public void registerPublic(io.javalin.config.RoutesConfig app) {
        new OperatorApi(c).registerPublic(app);
    }

    static AdminRoute api(io.javalin.http.HandlerType m, String path, Role role, AdminRoute.Action a) {
        return new AdminRoute(m, path, role, Surface.API, a);
    }

    static Decision decision(Context ctx, Parts c) {
        return JsonBodies.parse(Bodies.json(ctx, c.config().maxBodyBytes()), Decision.class);
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
}
