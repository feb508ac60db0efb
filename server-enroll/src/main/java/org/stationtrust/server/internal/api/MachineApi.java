package org.stationtrust.server.internal.api;

import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.POST;
import static io.javalin.http.HandlerType.PUT;

import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.stationtrust.protocol.EnrollmentState;
import org.stationtrust.protocol.ErrorCode;
import org.stationtrust.server.Role;
import org.stationtrust.server.internal.auth.AdminRoute;
import org.stationtrust.server.internal.auth.Caller;
import org.stationtrust.server.internal.http.ApiException;
import org.stationtrust.server.internal.http.Bodies;
import org.stationtrust.server.internal.http.JsonBodies;
import org.stationtrust.server.internal.pcr.PcrMap;
import org.stationtrust.server.internal.store.MachineDetail;
import org.stationtrust.server.internal.store.MachineListing;
import org.stationtrust.server.internal.store.MachineSearch;
import org.stationtrust.server.internal.store.PacketReceiptStore;
import org.stationtrust.server.internal.store.StationAuditStore;

/** The operator API's machines and enrollments: lists, one machine and its records, and the decisions on it. */
final class MachineApi {
    private final AdminApi.Parts c;

    MachineApi(AdminApi.Parts c) {
        this.c = c;
    }

    record GoldenPcrs(Map<String, String> pcrs, String reason) {
    }

    List<AdminRoute> routes() {
        List<AdminRoute> r = new ArrayList<>();
        r.add(AdminApi.api(GET, "/api/v1/admin/enrollments", Role.AUDITOR, this::listEnrollments));
        r.add(AdminApi.api(GET, "/api/v1/admin/machines", Role.AUDITOR, this::listMachines));
        r.add(AdminApi.api(GET, "/api/v1/admin/machines/{id}", Role.AUDITOR, this::machine));
        r.add(AdminApi.api(GET, "/api/v1/admin/machines/{id}/attestations", Role.AUDITOR, this::history));
        r.add(AdminApi.api(GET, "/api/v1/admin/machines/{id}/packets", Role.AUDITOR, this::packets));
        r.add(AdminApi.api(GET, "/api/v1/admin/machines/{id}/audit-events", Role.AUDITOR, this::stationAudit));
        r.add(AdminApi.api(POST, "/api/v1/admin/machines/{id}/approve", Role.APPROVER, (ctx, who) -> ctx.json(view(
                c.approvals().approve(who, ctx.pathParam("id"), AdminApi.decision(ctx, c).reason())))));
        r.add(AdminApi.api(POST, "/api/v1/admin/machines/{id}/reject", Role.APPROVER, (ctx, who) -> ctx.json(view(
                c.approvals().reject(who, ctx.pathParam("id"), AdminApi.decision(ctx, c).reason())))));
        r.add(AdminApi.api(POST, "/api/v1/admin/machines/{id}/revoke", Role.ADMIN, (ctx, who) -> ctx.json(view(
                c.approvals().revoke(who, ctx.pathParam("id"), AdminApi.decision(ctx, c).reason())))));
        r.add(AdminApi.api(PUT, "/api/v1/admin/machines/{id}/golden-pcrs", Role.ADMIN, this::golden));
        return r;
    }

    private Views.MachineView view(MachineDetail m) {
        return Views.MachineView.of(m, System.currentTimeMillis(), c.config().attestationInterval().toMillis());
    }

    private void listEnrollments(Context ctx, Caller who) {
        String state = ctx.queryParam("state");
        EnrollmentState s;
        try {
            s = state == null ? EnrollmentState.PENDING_APPROVAL : EnrollmentState.parse(state);
        } catch (IllegalArgumentException e) {
            throw new ApiException(ErrorCode.INVALID_FIELD, e.getMessage());
        }
        MachineListing.DetailPage page = c.listing().details(machinePage(ctx, s));
        ctx.json(new Views.Enrollments(page.rows().stream().map(this::view).toList(), next(page)));
    }

    private void listMachines(Context ctx, Caller who) {
        MachineListing.DetailPage page = c.listing().details(machinePage(ctx, null));
        ctx.json(new Views.Machines(page.rows().stream().map(this::view).toList(), next(page)));
    }

    /**
     * One page of a machine list, newest first: {@code limit} rows (1..{@link MachineSearch#MAX_SIZE}, default
     * {@link AdminApi#LIST_PAGE}) after the {@code after} cursor (the previous page's {@code next}). Keyset on
     * (created_at, id), so machines enrolled while a client pages neither repeat nor push others out of its walk.
     */
    private static MachineSearch machinePage(Context ctx, EnrollmentState state) {
        int limit = AdminApi.limit(ctx, AdminApi.LIST_PAGE, MachineSearch.MAX_SIZE);
        try {
            return new MachineSearch(null, state, null, null, null, null, MachineSearch.Sort.NEWEST,
                    MachineSearch.Cursor.decode(ctx.queryParam("after")), limit);
        } catch (IllegalArgumentException e) {
            throw new ApiException(ErrorCode.INVALID_FIELD, "after: " + e.getMessage());
        }
    }

    private static String next(MachineListing.DetailPage page) {
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
                c.attestations().history(m.id(), 100).stream().map(Views.AttestationView::of).toList()));
    }

    /**
     * Receipts of the capture packets a machine delivered (never their content), one page newest first; {@code limit}
     * (1-1000, default 1000) and {@code after}/{@code next} as for the machine lists.
     */
    private void packets(Context ctx, Caller who) {
        MachineDetail m = load(ctx.pathParam("id"));
        int limit = AdminApi.limit(ctx, 1000);
        PacketReceiptStore.Page page = c.packetReceipts().page(m.id(), after(ctx), limit);
        ctx.json(new Views.Packets(m.id(), c.packetReceipts().count(m.id()), page.rows().stream()
                .map(p -> new Views.PacketView(p.packetId(), p.sha256(), p.keyId(), Views.time(p.receivedAt())))
                .toList(), page.next() == null ? null : page.next().encode()));
    }

    /**
     * Audit events the machine delivered from its own log, one page newest first (by the station's clock);
     * {@code limit} (1-1000, default 200) and {@code after}/{@code next} as for the machine lists.
     */
    private void stationAudit(Context ctx, Caller who) {
        MachineDetail m = load(ctx.pathParam("id"));
        int limit = AdminApi.limit(ctx, 200);
        StationAuditStore.Page page = c.stationAudit().page(m.id(), after(ctx), limit);
        ctx.json(new Views.StationEvents(m.id(), c.stationAudit().count(m.id()), page.rows().stream()
                .map(e -> new Views.StationEventView(e.event().eventId(), e.event().occurredAt(), e.event().event(),
                        storedJson(e.event().eventId(), e.event().fields()), Views.time(e.receivedAt()))).toList(),
                page.next() == null ? null : page.next().encode()));
    }

    /** The {@code after} cursor of a paged list; a malformed one is {@code 400 invalid_field}. */
    private static MachineSearch.Cursor after(Context ctx) {
        try {
            return MachineSearch.Cursor.decode(ctx.queryParam("after"));
        } catch (IllegalArgumentException e) {
            throw new ApiException(ErrorCode.INVALID_FIELD, "after: " + e.getMessage());
        }
    }

    private static com.fasterxml.jackson.databind.JsonNode storedJson(String eventId, String fields) {
        try {
            return org.stationtrust.protocol.WireJson.strict().readTree(fields);
        } catch (java.io.IOException ex) {
            throw new IllegalStateException("stored station event " + eventId + " is not JSON", ex);
        }
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
}
