package org.stationtrust.server.internal.api;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.stationtrust.protocol.ActivationRequest;
import org.stationtrust.protocol.EnrollmentChallenge;
import org.stationtrust.protocol.EnrollmentRequest;
import org.stationtrust.protocol.EnrollmentStatus;
import org.stationtrust.protocol.ErrorCode;
import org.stationtrust.protocol.KeyRotationRequest;
import org.stationtrust.protocol.KeyRotationResult;
import org.stationtrust.protocol.KeyRotationWithdrawal;
import org.stationtrust.protocol.PacketCheck;
import org.stationtrust.protocol.PacketDelivery;
import org.stationtrust.protocol.PacketReceipt;
import org.stationtrust.protocol.PacketVerdict;
import org.stationtrust.protocol.StationAuditBatch;
import org.stationtrust.protocol.StationAuditReceipt;
import org.stationtrust.protocol.StationRoute;
import org.stationtrust.protocol.StationStatus;
import org.stationtrust.server.Role;
import org.stationtrust.server.ServerConfig;
import org.stationtrust.server.internal.attest.AttestationService;
import org.stationtrust.server.internal.audit.AuditLog;
import org.stationtrust.server.internal.auth.Authenticator;
import org.stationtrust.server.internal.auth.Caller;
import org.stationtrust.server.internal.auth.RouteGuard;
import org.stationtrust.server.internal.boot.MeasuredBoot;
import org.stationtrust.server.internal.enroll.EnrollmentService;
import org.stationtrust.server.internal.http.ApiException;
import org.stationtrust.server.internal.http.Bodies;
import org.stationtrust.server.internal.http.JsonBodies;
import org.stationtrust.server.internal.http.RateLimiter;
import org.stationtrust.server.internal.metrics.ServerMetrics.EnrollmentStep;
import org.stationtrust.server.internal.metrics.ServerMetrics;
import org.stationtrust.server.internal.station.EnrollmentSignature;
import org.stationtrust.server.internal.station.KeyRotation;
import org.stationtrust.server.internal.station.PacketVerifier;
import org.stationtrust.server.internal.station.RotationWithdrawal;
import org.stationtrust.server.internal.station.SignedRequestVerifier.Requirement;
import org.stationtrust.server.internal.station.SignedRequestVerifier.StationCaller;
import org.stationtrust.server.internal.station.SignedRequestVerifier;
import org.stationtrust.server.internal.station.StationAuditEvents;
import org.stationtrust.server.internal.store.MachineStore;
import org.stationtrust.server.internal.store.PacketReceiptStore;
import org.stationtrust.server.internal.store.StationAuditStore;
import org.stationtrust.server.internal.store.StationMachine;

/** Routes stations call: enrollment (anonymous, rate-limited) and signed calls after enrollment. */
public final class StationApi {
    private static final String PACKETS_VERIFY = StationPrechecks.PACKETS_VERIFY;
    private static final int PACKET_BODY_LIMIT = PacketVerifier.MAX_PACKET_CHARS + 1024;
    /** What this class uses of the running server (wired in {@code ServerRoutes}), nothing else. */
    public record Parts(AttestationService attestation, AuditLog audit, Authenticator auth, ServerConfig config,
                        EnrollmentService enrollment, RateLimiter enrollLimit, MachineStore machines,
                        ServerMetrics metrics, RateLimiter nonceLimit, PacketReceiptStore packetReceipts,
                        PacketVerifier packets, KeyRotation rotation, RotationWithdrawal withdrawal,
                        SignedRequestVerifier signed,
                        StationAuditStore stationAudit,
                        org.stationtrust.server.internal.http.FailedChecks failedChecks) {
    }

    private final Parts c;

    public StationApi(Parts c) {
        this.c = c;
    }

    /** The cheap checks the request gate runs for these routes before their bodies are read. */
    public org.stationtrust.server.internal.http.RequestGate.Precheck prechecks() {
        return new StationPrechecks(new StationPrechecks.Parts(c.auth(), c.config(), c.enrollLimit(), c.metrics(), c.signed(),
                c.failedChecks()),
                PACKET_BODY_LIMIT, quoteBodyLimit());
    }

    public void register(RoutesConfig app) {
        app.post(StationRoute.ENROLL.template(), ctx -> counted(EnrollmentStep.BEGIN, ctx, this::begin));
        app.get(StationRoute.ENROLLMENT_STATUS.template(), this::status);
        app.post(StationRoute.ACTIVATE.template(), ctx -> counted(EnrollmentStep.ACTIVATE, ctx, this::activate));
        app.post(StationRoute.KEY_ROTATION.template(), this::rotate);
        app.post(StationRoute.KEY_ROTATION_WITHDRAWAL.template(), this::withdrawRotation);
        app.get(StationRoute.ME.template(), this::me);
        app.post(StationRoute.PACKETS_VERIFY.template(), this::verifyPacket);
        app.post(StationRoute.PACKETS.template(), this::receivePacket);
        app.post(StationRoute.AUDIT_EVENTS.template(), this::receiveAuditEvents);
    }

    /**
     * A station delivers events of its own audit log (signed, attested): stored once per (machine, eventId),
     * summarised in the server's audit chain; a resend is acknowledged again, other content under a known id is a
     * conflict and nothing of that batch is stored.
     */
    private void receiveAuditEvents(Context ctx) {
        StationCaller s = signed(ctx, Requirement.ATTESTED);
        StationAuditBatch batch = JsonBodies.parse(Bodies.json(ctx, c.config().maxBodyBytes()), StationAuditBatch.class);
        var outcome = c.stationAudit().receive(s.machine().id(), batch.events().stream()
                .map(StationAuditEvents::stored).toList(), c.audit());
        if (!outcome.conflicts().isEmpty()) {
            throw new ApiException(ErrorCode.CONFLICT, "Event id(s) " + outcome.conflicts() + " were already delivered "
                    + "with different content; nothing of this batch was stored");
        }
        ctx.status(outcome.received() > 0 ? 201 : 200).json(new StationAuditReceipt(outcome.received(),
                outcome.duplicates()));
    }

    /**
     * A station delivers a capture packet it signed: verified against its enrolled keys, and only a receipt
     * (id, digest, key) is recorded; a resend of the same packet is acknowledged again (idempotent).
     */
    private void receivePacket(Context ctx) {
        StationCaller s = signed(ctx, Requirement.ATTESTED);
        PacketDelivery d = JsonBodies.parse(Bodies.json(ctx, PACKET_BODY_LIMIT), PacketDelivery.class);
        PacketVerifier.Verdict v = c.packets().verify(d.packet());
        if (!v.machineId().equals(s.machine().id())) {
            throw new ApiException(ErrorCode.FORBIDDEN, "A station may deliver only packets it signed itself");
        }
        String digest = java.util.HexFormat.of().formatHex(org.stationtrust.server.internal.auth.Secrets.sha256(
                d.packet().getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        boolean fresh = c.packetReceipts().record(s.machine().id(), d.packetId(), digest, v.keyId());
        if (!fresh) {
            var earlier = c.packetReceipts().find(s.machine().id(), d.packetId()).orElseThrow();
            // Not a secret (the digest of the caller's own packet), but compared in constant time all the same
            // (SpotBugs UNSAFE_HASH_EQUALS).
            if (!java.security.MessageDigest.isEqual(earlier.sha256().getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                    digest.getBytes(java.nio.charset.StandardCharsets.US_ASCII))) {
                throw new ApiException(ErrorCode.CONFLICT, "Packet id " + d.packetId() + " was already delivered with "
                        + "different content");
            }
        }
        ctx.status(fresh ? 201 : 200).json(new PacketReceipt(d.packetId(), true, !fresh, digest,
                v.currentKey() ? "current" : "retired"));
    }

    /**
     * Operators (auditor and above, bearer token) may check any packet; a station (signed request, attested)
     * only its own, e.g. before uploading it.
     */
    private void verifyPacket(Context ctx) {
        String stationId = null;
        Object prechecked = ctx.attribute(org.stationtrust.server.internal.http.RequestGate.PRECHECKED);
        if (prechecked instanceof Caller caller) {
            // The gate checked the operator's token and role before it let a packet-sized body in.
            ctx.attribute(RouteGuard.CALLER_ATTRIBUTE, caller);
        } else if (ctx.header("Authorization") != null) {
            Caller caller = c.auth().fromAuthorizationHeader(ctx.header("Authorization")).orElseThrow(() ->
                    new ApiException(ErrorCode.UNAUTHENTICATED, "The API token is unknown, expired or revoked"));
            ctx.attribute(RouteGuard.CALLER_ATTRIBUTE, caller);
            if (!caller.role().includes(Role.AUDITOR)) {
                throw new ApiException(ErrorCode.FORBIDDEN, "Checking packets needs the auditor role");
            }
        } else if (ctx.header(org.stationtrust.protocol.StationHeaders.SIGNATURE) != null) {
            stationId = signed(ctx, Requirement.ATTESTED).machine().id();
        } else {
            throw new ApiException(ErrorCode.UNAUTHENTICATED, "Send an operator API token (Authorization: Bearer) or "
                    + "sign the request as a station (" + org.stationtrust.protocol.StationHeaders.SIGNATURE + ")");
        }
        byte[] body = Bodies.json(ctx, PACKET_BODY_LIMIT);
        PacketCheck p = JsonBodies.parse(body, PacketCheck.class);
        PacketVerifier.Verdict v = c.packets().verify(p.packet());
        if (stationId != null && !stationId.equals(v.machineId())) {
            throw new ApiException(ErrorCode.FORBIDDEN, "A station may check only its own packets");
        }
        ctx.json(new PacketVerdict(true, v.machineId(), v.machineName(), v.keyId(), v.currentKey() ? "current" : "retired",
                v.machineState(), v.attestationStatus().name(), v.packet().packetId()));
    }

    /** Runs an enrollment step and counts its result (accepted, or the error code it was refused with). */
    private void counted(EnrollmentStep step, Context ctx, io.javalin.http.Handler handler) throws Exception {
        try {
            handler.handle(ctx);
            c.metrics().enrollment(step, null);
        } catch (ApiException e) {
            c.metrics().enrollment(step, e.code());
            throw e;
        }
    }

    private void begin(Context ctx) {
        // The enrollment rate limit was taken by the request gate, before the body was read (StationPrechecks).
        byte[] body = Bodies.json(ctx, c.config().maxBodyBytes());
        EnrollmentRequest r = JsonBodies.parse(body, EnrollmentRequest.class);
        EnrollmentService.Challenge ch = c.enrollment().begin(r, new EnrollmentSignature.Presented(ctx.method().name(),
                ctx.path(), body, ctx.header(org.stationtrust.protocol.StationHeaders.SIGNATURE),
                c.config().requestSkew()), ctx.ip());
        // A retry of the same enrollment gets the same answer; 200 says it created nothing (docs/server-api.md).
        ctx.status(ch.repeated() ? 200 : 201).json(new EnrollmentChallenge(ch.machineId(), ch.state(), ch.ekVerified(), ch.reenrollmentOf(),
                b64(ch.credentialBlob()), b64(ch.encryptedSecret()), b64(ch.quoteNonce())));
    }

    private void status(Context ctx) {
        String id = ctx.pathParam("id");
        MachineStore.EnrollmentView m = id.length() > 40 ? null : c.machines().findEnrollment(id).orElse(null);
        if (m == null) throw new ApiException(ErrorCode.NOT_FOUND, "No enrollment with that id");
        ctx.json(new EnrollmentStatus(m.id(), m.state(), m.ekVerified()));
    }

    private void activate(Context ctx) {
        ActivationRequest proof = JsonBodies.parse(Bodies.json(ctx, c.config().maxBodyBytes()), ActivationRequest.class);
        var m = c.enrollment().activate(ctx.pathParam("id"), proof, ctx.ip());
        ctx.json(new EnrollmentStatus(m.id(), m.state(), m.ekVerified()));
    }

    private void rotate(Context ctx) {
        StationCaller s = signed(ctx, Requirement.ATTESTED);
        KeyRotationRequest r = JsonBodies.parse(Bodies.json(ctx, c.config().maxBodyBytes()), KeyRotationRequest.class);
        String keyId = c.rotation().rotate(s, r);
        ctx.json(new KeyRotationResult(s.machine().id(), keyId));
    }

    /**
     * Withdraws a rotation whose answer the station lost (docs/server-api.md, "Withdrawing a rotation"). Only ACTIVE
     * is required, not a passing attestation: a withdrawal only ever keeps the key the machine already has. The
     * request's nonce is recorded in the withdrawal's own transaction.
     */
    private void withdrawRotation(Context ctx) {
        StationCaller s = signedLeavingNonce(ctx, Requirement.ACTIVE);
        KeyRotationWithdrawal r = JsonBodies.parse(Bodies.json(ctx, c.config().maxBodyBytes()), KeyRotationWithdrawal.class);
        ctx.json(c.withdrawal().withdraw(s, r));
    }

    private void me(Context ctx) {
        StationCaller s = signed(ctx, Requirement.ATTESTED);
        StationMachine m = s.machine();
        ctx.json(new StationStatus(m.id(), m.name(), m.state(), Views.attestation(m, System.currentTimeMillis(),
                c.config().attestationInterval().toMillis()), s.key().id(), c.config().attestationInterval().toSeconds()));
    }

    private StationCaller signed(Context ctx, Requirement requirement) {
        StationCaller s = signedLeavingNonce(ctx, requirement);
        s = c.signed().recordNonce(s);
        return s;
    }

    private int quoteBodyLimit() {
        return AttestationRoutes.quoteBodyLimit(c.config());
    }

    /**
     * The signature header was checked by the request gate before the body was read (StationPrechecks); here the
     * body is bound to it and the machine's state checked. The nonce is left to the caller's transaction.
     */
    private StationCaller signedLeavingNonce(Context ctx, Requirement requirement) {
        boolean packet = ctx.path().equals(PACKETS_VERIFY) || ctx.path().equals(StationPrechecks.PACKETS);
        boolean quote = ctx.path().equals(StationPrechecks.QUOTES);
        Object prechecked = ctx.attribute(org.stationtrust.server.internal.http.RequestGate.PRECHECKED);
        SignedRequestVerifier.Authenticated a = prechecked instanceof SignedRequestVerifier.Authenticated done ? done
                : c.signed().authenticate(ctx.method().name(), ctx.path(), ctx.header(org.stationtrust.protocol.StationHeaders.SIGNATURE));
        byte[] body = Bodies.bytes(ctx, packet ? PACKET_BODY_LIMIT : quote ? quoteBodyLimit() : c.config().maxBodyBytes());
        StationCaller s = c.signed().complete(a, body, requirement);
        ctx.attribute("station", s.machine().id());
        return s;
    }

    private static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }
}
