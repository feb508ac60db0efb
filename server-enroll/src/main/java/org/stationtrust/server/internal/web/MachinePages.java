package org.stationtrust.server.internal.web;

import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.POST;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.stationtrust.protocol.EnrollmentState;
import org.stationtrust.protocol.ErrorCode;
import org.stationtrust.server.Role;
import org.stationtrust.server.ServerConfig;
import org.stationtrust.server.internal.api.Views;
import org.stationtrust.server.internal.attest.AttestationService;
import org.stationtrust.server.internal.pcr.PcrMap;
import org.stationtrust.server.internal.pcr.PcrPolicy;
import org.stationtrust.server.internal.audit.AuditLog;
import org.stationtrust.server.internal.auth.AdminRoute;
import org.stationtrust.server.internal.auth.Caller;
import org.stationtrust.server.internal.enroll.ApprovalWorkflow;
import org.stationtrust.server.internal.http.ApiException;
import org.stationtrust.server.internal.store.AttestationOutcome;
import org.stationtrust.server.internal.store.AttestationStatus;
import org.stationtrust.server.internal.store.AttestationStore;
import org.stationtrust.server.internal.store.MachineDetail;
import org.stationtrust.server.internal.store.MachineSearch;
import org.stationtrust.server.internal.store.MachineListing;
import org.stationtrust.server.internal.store.MachineStore;
import org.stationtrust.server.internal.store.PacketReceiptStore;
import org.stationtrust.server.internal.store.StateCounts;
import org.stationtrust.server.internal.web.templates.JtemachineGenerated;
import org.stationtrust.server.internal.web.templates.JtemachinesGenerated;
import org.stationtrust.server.internal.web.templates.JteoverviewGenerated;

/** The console's machine pages: overview, list, detail, and the decisions on one machine or a batch. */
public final class MachinePages {
    private static final int OVERVIEW_ROWS = 20;
    /** What this class uses of the running server (wired in {@code ServerRoutes}), nothing else. */
    public record Parts(ApprovalWorkflow approvals, AttestationService attestation, AuditLog audit,
                        ServerConfig config, MachineStore machines, MachineListing listing, AttestationStore attestations,
                        PacketReceiptStore packetReceipts) {
    }

    private final Parts c;

    public MachinePages(Parts c) {
        this.c = c;
    }

    // ---- view models: what each template shows, computed here so the templates only lay it out ----

    /** One figure of the overview with the list it links to. */
    public record Count(String id, String label, long value, String href, boolean attention) {
    }

    /** A machine waiting for a decision, with what the approver must know before deciding. */
    public record Pending(MachineDetail m, List<Pcrs.Pcr> pcrs, List<String> sameName, List<String> sameEk, String created,
                          String pick, String invisible) {
    }

    public record OverviewView(Chrome chrome, List<Count> counts, List<Pending> pending, long pendingTotal,
                               List<Row> flagged, List<Pending> unactivated, long unactivatedTotal) {
    }

    /** A list row with its display values. {@code pick} is the batch checkbox's value: id and the state shown. */
    public record Row(MachineListing.ListRow row, String attestation, boolean warn, String created, String createdShort,
                      String lastAttempt, String lastSuccess, boolean selectable, String pick) {
    }

    /**
     * The list page. {@code firmwareChoices}: the firmware values present (at most {@link #FIRMWARE_CHOICES}, in
     * order), with the filter's own value added when it lies beyond them; {@code moreFirmware}: the bound was reached.
     */
    public record ListView(Chrome chrome, ListFilter filter, MachineListing.Page page, List<Row> rows,
                           List<String> firmwareChoices, boolean moreFirmware) {
    }

    /** How many firmware values the list's choice offers (a fleet holds a few models, each a few firmware versions). */
    public static final int FIRMWARE_CHOICES = 100;

    /** A labelled value of a machine; {@code key} names its element ({@code f-<key>}). */
    public record Field(String key, String label, String value, boolean code) {
    }

    public record HistoryItem(String at, String outcome, String detail, boolean passed) {
    }

    public record KeyRow(String fingerprint, String created, String retired) {
    }

    public record PacketRow(String packetId, String sha256, String received) {
    }

    public record AuditRow(long seq, String at, String actor, String action, String subject, String outcome,
                           String detail) {
        static AuditRow of(org.stationtrust.server.internal.audit.AuditEvent e) {
            return new AuditRow(e.seq(), Views.time(e.at()), e.actor(), e.action(), e.subject(), e.outcome(), e.detail());
        }
    }

    public record DetailView(Chrome chrome, MachineDetail m, String attestation, boolean attestationWarn,
                             List<String> warnings, List<Field> identity, List<Field> decision,
                             List<Field> attestationFields, List<HistoryItem> history, List<Pcrs.Pcr> firstPcrs,
                             List<Pcrs.Pcr> policyPcrs, String policyName, BootView boot, List<KeyRow> keys,
                             long packetCount, List<PacketRow> packets, List<AuditRow> audit, boolean canApprove,
                             boolean canReject, boolean canRevoke, List<Row> sameEk) {
    }

    public List<AdminRoute> routes() {
        List<AdminRoute> r = new ArrayList<>();
        r.add(page(GET, "/admin", Role.AUDITOR, this::overview));
        r.add(page(GET, "/admin/machines", Role.AUDITOR, this::list));
        r.add(page(GET, "/admin/machines/{id}", Role.AUDITOR, this::detail));
        r.add(page(POST, "/admin/machines/batch", Role.APPROVER, this::batch));
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
        r.add(page(POST, "/admin/machines/{id}/golden-pcrs", Role.ADMIN, this::golden));
        return r;
    }

    private static AdminRoute page(io.javalin.http.HandlerType m, String path, Role role, AdminRoute.Action a) {
        return new AdminRoute(m, path, role, AdminRoute.Surface.PAGE, a);
    }

    private long interval() {
        return c.config().attestationInterval().toMillis();
    }

    private void overview(Context ctx, Caller who) {
        StateCounts n = c.listing().countsByStateAndStatus();
        long pendingTotal = n.inState(EnrollmentState.PENDING_APPROVAL);
        long unactivatedTotal = n.inState(EnrollmentState.PENDING_ACTIVATION);
        long failed = n.with(EnrollmentState.ACTIVE, AttestationStatus.FAILED);
        long overdue = n.with(EnrollmentState.ACTIVE, AttestationStatus.OVERDUE);
        List<Count> counts = List.of(
                new Count("pending", "pending approval", pendingTotal, "/admin/machines?state=PENDING_APPROVAL&sort=oldest",
                        pendingTotal > 0),
                new Count("flagged", "flagged: failed attestation", failed,
                        "/admin/machines?state=ACTIVE&attestation=FAILED", failed > 0),
                new Count("overdue", "overdue", overdue, "/admin/machines?state=ACTIVE&attestation=OVERDUE", overdue > 0),
                new Count("active", "active", n.inState(EnrollmentState.ACTIVE), "/admin/machines?state=ACTIVE", false),
                new Count("activation", "waiting for activation", unactivatedTotal,
                        "/admin/machines?state=PENDING_ACTIVATION", false),
                new Count("revoked", "revoked", n.inState(EnrollmentState.REVOKED), "/admin/machines?state=REVOKED", false),
                new Count("rejected", "rejected", n.inState(EnrollmentState.REJECTED), "/admin/machines?state=REJECTED",
                        false));
        List<Pending> pending = c.listing().oldestIn(EnrollmentState.PENDING_APPROVAL, OVERVIEW_ROWS).stream()
                .map(m -> pending(m, true)).toList();
        List<Pending> unactivated = c.listing().oldestIn(EnrollmentState.PENDING_ACTIVATION, OVERVIEW_ROWS).stream()
                .map(m -> pending(m, false)).toList();
        long now = System.currentTimeMillis();
        List<Row> flagged = c.listing().activeWithStatus(AttestationStatus.FAILED, OVERVIEW_ROWS).stream()
                .map(r -> row(r, now, who)).toList();
        OverviewView v = new OverviewView(Chrome.of("Overview", who, "overview"), counts, pending, pendingTotal,
                flagged, unactivated, unactivatedTotal);
        Render.send(ctx, out -> JteoverviewGenerated.render(out, null, v));
    }

    private Pending pending(MachineDetail m, boolean withName) {
        return new Pending(m, Pcrs.of(m.pcrs().firstQuote()), withName ? c.listing().sameName(m.id(), m.name()) : List.of(),
                c.listing().samePendingEk(m.id(), m.ek().name()), Views.time(m.origin().createdAt()), pick(m.id(), m.state()),
                Names.invisibleWarning(m.name()));
    }

    private static String pick(String id, EnrollmentState state) {
        return id + "." + state.name();
    }

    private Row row(MachineListing.ListRow r, long now, Caller who) {
        String att = r.attestationSeen(now, interval()).name();
        boolean selectable = switch (r.state()) {
            case PENDING_APPROVAL, PENDING_ACTIVATION -> who.role().includes(Role.APPROVER);
            case ACTIVE -> who.role().includes(Role.ADMIN);
            default -> false;
        };
        String created = Views.time(r.createdAt());
        return new Row(r, att, !"OK".equals(att), created, created.substring(0, Math.min(16, created.length()))
                .replace('T', ' '), orDash(Views.time(r.lastAttemptAt())), orDash(Views.time(r.lastSuccessAt())),
                selectable, pick(r.id(), r.state()));
    }

    private static String orDash(String s) {
        return s == null ? "never" : s;
    }

    private void list(Context ctx, Caller who) {
        ListFilter filter = ListFilter.from(ctx);
        MachineSearch search = filter.search();
        MachineListing.Page page = c.listing().search(search);
        long now = System.currentTimeMillis();
        String title = search.state() == EnrollmentState.PENDING_APPROVAL ? "Machines pending approval" : "Machines";
        List<String> firmware = new java.util.ArrayList<>(c.listing().firmwareValues(FIRMWARE_CHOICES + 1));
        boolean moreFirmware = firmware.size() > FIRMWARE_CHOICES;
        if (moreFirmware) firmware.remove(FIRMWARE_CHOICES);
        if (search.firmware() != null && !firmware.contains(search.firmware())) firmware.add(search.firmware());
        ListView v = new ListView(Chrome.of(title, who, "machines"), filter, page,
                page.rows().stream().map(r -> row(r, now, who)).toList(), List.copyOf(firmware), moreFirmware);
        Render.send(ctx, out -> JtemachinesGenerated.render(out, null, v));
    }

    private void detail(Context ctx, Caller who) {
        String id = ctx.pathParam("id");
        MachineDetail m = id.length() > 40 ? null : c.machines().find(id).orElse(null);
        if (m == null) {
            ctx.status(404);
            Render.send(ctx, out -> org.stationtrust.server.internal.web.templates.JtemessageGenerated.render(out, null,
                    Chrome.of("Not found", who, "machines"), "No machine with that id.", "/admin"));
            return;
        }
        Render.send(ctx, out -> JtemachineGenerated.render(out, null, detailView(m, who)));
    }

    private DetailView detailView(MachineDetail m, Caller who) {
        long now = System.currentTimeMillis();
        String att = m.attestationSeen(now, interval()).name();
        List<String> warnings = new ArrayList<>();
        if (Names.invisibleWarning(m.name()) != null) warnings.add(Names.invisibleWarning(m.name()));
        if (m.origin().replacesMachine() != null) {
            warnings.add("Re-enrollment of a known EK (previous machine " + m.origin().replacesMachine() + "): TPM cleared or new "
                    + "disk image?");
        }
        if (!m.ek().verified()) warnings.add("EK unverified (no EK certificate chained to a trusted TPM manufacturer): "
                + "only an admin may approve.");
        List<String> sameEk = c.listing().samePendingEk(m.id(), m.ek().name());
        if (!sameEk.isEmpty() && m.state() != EnrollmentState.ACTIVE) {
            warnings.add("Same EK as other pending enrollment(s) " + String.join(", ", sameEk));
        }
        List<String> sameName = c.listing().sameName(m.id(), m.name());
        if (!sameName.isEmpty()) warnings.add("Another machine already has this name: " + String.join(", ", sameName));
        List<Field> identity = List.of(
                new Field("machineId", "MachineDetail id", m.id(), true),
                new Field("machineName", "Name", m.name(), false),
                new Field("ekVerified", "EK verified", m.ek().verified() ? "yes" : "no", false),
                new Field("ekCertificateSubject", "EK certificate subject", m.ek().subject(), false),
                new Field("ekCertificateIssuer", "EK certificate issuer", m.ek().issuer(), false),
                new Field("ekCertificateSerial", "EK certificate serial", m.ek().serial(), true),
                new Field("ekCertificateSha256", "EK certificate SHA-256", sha256OfBase64(m.ek().certificate()), true),
                new Field("ekName", "EK name", m.ek().name(), true),
                new Field("tpmManufacturer", "TPM manufacturer", m.ek().tpmManufacturer(), false),
                new Field("akSha256", "AK SHA-256 (TPM2B_PUBLIC)", sha256OfBase64(m.akPublic()), true),
                new Field("requestSource", "Enrolled from", m.origin().requestSource(), false),
                new Field("createdAt", "Enrolled at", Views.time(m.origin().createdAt()), false),
                new Field("enrollmentTokenId", "Enrollment token", m.origin().enrollmentTokenId(), true),
                new Field("reenrollmentOf", "Re-enrollment of", m.origin().replacesMachine(), true));
        MachineDetail.Decision decided = java.util.Objects.requireNonNullElse(m.decision(), Views.UNDECIDED);
        MachineDetail.Decision revoked = java.util.Objects.requireNonNullElse(m.revocation(), Views.UNDECIDED);
        List<Field> decision = List.of(
                new Field("state", "State", m.state().name(), false),
                new Field("decidedBy", "Decided by", decided.by(), false),
                new Field("decidedAt", "Decided at", Views.time(decided.at()), false),
                new Field("decisionReason", "Reason", decided.reason(), false),
                new Field("revokedBy", "Revoked by", revoked.by(), false),
                new Field("revokedAt", "Revoked at", Views.time(revoked.at()), false),
                new Field("revokeReason", "Revocation reason", revoked.reason(), false));
        List<Field> attestation = List.of(
                new Field("attestationStatus", "Status", att, false),
                new Field("attestationFailure", "Last failure", Names.spelled(m.attestation().failure()), false),
                new Field("lastAttestationAttempt", "Last attempt", orDash(Views.time(m.attestation().lastAttempt())), false),
                new Field("lastAttestationSuccess", "Last success", orDash(Views.time(m.attestation().lastSuccess())), false));
        List<HistoryItem> history = c.attestations().history(m.id(), 50).stream().map(r -> new HistoryItem(
                Views.time(r.at()), r.outcome().name(), Names.spelled(r.detail()), r.outcome() == AttestationOutcome.PASSED))
                .toList();
        List<KeyRow> keys = c.machines().keys(m.id()).stream().map(k -> new KeyRow(sha256OfBase64(k.spki()),
                Views.time(k.createdAt()), Views.time(k.retiredAt()))).toList();
        List<PacketRow> packets = c.packetReceipts().page(m.id(), null, 20).rows().stream().map(p -> new PacketRow(p.packetId(),
                p.sha256(), Views.time(p.receivedAt()))).toList();
        List<AuditRow> audit = c.audit().about(m.id(), 100).stream().map(AuditRow::of).toList();
        boolean approver = who.role().includes(Role.APPROVER);
        boolean admin = who.role().includes(Role.ADMIN);
        PcrPolicy policy = m.pcrs().policy();
        return new DetailView(Chrome.of("Machine " + m.name(), who, "machines"), m, att, !"OK".equals(att),
                List.copyOf(warnings), identity, decision, attestation, history, Pcrs.of(m.pcrs().firstQuote()),
                Pcrs.of(policy), policy.source().label(), BootView.of(c.attestation().measuredBoot(), m.id()), keys,
                c.packetReceipts().count(m.id()), packets, audit,
                m.state() == EnrollmentState.PENDING_APPROVAL && approver && (m.ek().verified() || admin),
                approver && (m.state() == EnrollmentState.PENDING_APPROVAL
                        || m.state() == EnrollmentState.PENDING_ACTIVATION),
                admin && m.state() == EnrollmentState.ACTIVE,
                c.listing().sameEk(m.id(), m.ek().name(), SAME_EK_ROWS).stream().map(r -> row(r, now, who)).toList());
    }

    /** How many other enrollments of a machine's EK its page shows beside it. */
    private static final int SAME_EK_ROWS = 10;

    /** SHA-256 (hex) of a stored base64 value: the fingerprint an operator compares with another tool's. */
    static String sha256OfBase64(String b64) {
        if (b64 == null) return null;
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Base64.getDecoder().decode(b64)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        } catch (IllegalArgumentException e) {
            return "(stored value is not base64)";
        }
    }

    /**
     * A batch decision: every ticked box carries the machine id and the state the page showed; the workflow
     * decides them in one transaction, each audited, or refuses the whole batch (nothing changed).
     */
    private void batch(Context ctx, Caller who) {
        String action = ctx.formParam("action");
        ApprovalWorkflow.Decision decision;
        try {
            decision = ApprovalWorkflow.Decision.valueOf(action == null ? "" : action.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ApiException(ErrorCode.INVALID_FIELD, "Unknown decision: expected approve, reject or revoke");
        }
        List<String> picks = ctx.formParams("pick");
        if (picks.size() > ApprovalWorkflow.MAX_BATCH) {
            throw new ApiException(ErrorCode.INVALID_FIELD, "A batch holds at most " + ApprovalWorkflow.MAX_BATCH
                    + " machines");
        }
        List<ApprovalWorkflow.Seen> seen = new ArrayList<>();
        for (String p : picks) {
            int dot = p.lastIndexOf('.');
            if (dot <= 0 || dot > 40) throw new ApiException(ErrorCode.INVALID_FIELD, "Malformed machine selection");
            try {
                seen.add(new ApprovalWorkflow.Seen(p.substring(0, dot), EnrollmentState.parse(p.substring(dot + 1))));
            } catch (IllegalArgumentException e) {
                throw new ApiException(ErrorCode.INVALID_FIELD, "Malformed machine selection");
            }
        }
        List<MachineDetail> decided = c.approvals().decideBatch(who, decision, seen, ctx.formParam("reason"));
        String verb = switch (decision) {
            case APPROVE -> "Approved";
            case REJECT -> "Rejected";
            case REVOKE -> "Revoked";
        };
        StringBuilder names = new StringBuilder();
        for (MachineDetail m : decided) names.append(names.length() == 0 ? "" : ", ").append(m.name());
        Render.send(ctx, out -> org.stationtrust.server.internal.web.templates.JtemessageGenerated.render(out, null,
                Chrome.of("Batch decided", who, "machines"), verb + " " + decided.size() + " machine"
                        + (decided.size() == 1 ? "" : "s") + ", each audited on its own: " + names + ".",
                back(ctx.formParam("back"))));
    }

    /**
     * Where the page after a batch leads back to: the list (with its filter) or the overview the batch came from. Only
     * the console's own pages, by path: anything else (another host, "//host", a scheme) leads to the overview.
     */
    static String back(String back) {
        if (back == null || back.length() > 2000) return "/admin";
        boolean list = back.equals("/admin/machines") || back.startsWith("/admin/machines?");
        return list && back.chars().noneMatch(ch -> ch == '\\' || ch < 0x21 || ch > 0x7e) ? back : "/admin";
    }

    private void golden(Context ctx, Caller who) {
        java.util.Map<String, String> hex = new java.util.LinkedHashMap<>();
        String text = ctx.formParam("pcrs") == null ? "" : ctx.formParam("pcrs");
        if (text.length() > 4096) throw new ApiException(ErrorCode.INVALID_FIELD, "Too much PCR text");
        for (String line : text.split("\\R")) {
            if (line.isBlank()) continue;
            String[] kv = line.split("=", 2);
            if (kv.length != 2) {
                throw new ApiException(ErrorCode.INVALID_FIELD, "Write one PCR per line as index=hex, e.g. 7=ab12...");
            }
            hex.put(kv[0].strip(), kv[1].strip());
        }
        try {
            c.approvals().setGoldenPcrs(who, ctx.pathParam("id"), PcrMap.fromHexJson(hex), ctx.formParam("reason"));
        } catch (IllegalArgumentException e) {
            throw new ApiException(ErrorCode.INVALID_FIELD, e.getMessage());
        }
        ctx.redirect("/admin/machines/" + ctx.pathParam("id"), HttpStatus.SEE_OTHER);
    }
}
