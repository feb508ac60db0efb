package org.stationtrust.server.internal.api;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import org.stationtrust.protocol.ErrorCode;
import org.stationtrust.protocol.NonceIssued;
import org.stationtrust.protocol.NoncePurpose;
import org.stationtrust.protocol.NonceRequest;
import org.stationtrust.protocol.QuoteResult;
import org.stationtrust.protocol.QuoteSubmission;
import org.stationtrust.protocol.StationHeaders;
import org.stationtrust.server.ServerConfig;
import org.stationtrust.server.internal.attest.AttestationService;
import org.stationtrust.server.internal.boot.BootViews;
import org.stationtrust.server.internal.boot.MeasuredBoot;
import org.stationtrust.server.internal.http.ApiException;
import org.stationtrust.server.internal.http.Bodies;
import org.stationtrust.server.internal.http.ClientAddress;
import org.stationtrust.server.internal.http.JsonBodies;
import org.stationtrust.server.internal.http.RateLimiter;
import org.stationtrust.server.internal.station.SignedRequestVerifier;
import org.stationtrust.server.internal.station.SignedRequestVerifier.Requirement;
import org.stationtrust.server.internal.station.SignedRequestVerifier.StationCaller;

/**
 * The two station routes of an attestation, nonce then quote (docs/server-api.md, "Attestation"), apart from the
 * HTTP layer that carries them ({@link AttestationHandler}): what they check, in which order, and what they answer.
 */
public final class AttestationRoutes {
    /** What this class uses of the running server (wired in {@code ServerRoutes}), nothing else. */
    public record Parts(AttestationService attestation, ServerConfig config, RateLimiter nonceLimit,
                        SignedRequestVerifier signed, org.stationtrust.server.internal.http.FailedChecks failedChecks) {
    }

    /**
     * One request as the request gate passed it on: its body read whole (within the gate's limit for the route) and,
     * for a signed request, the signature header already authenticated ({@code prechecked}, else null).
     */
    public record Call(String method, String path, String client, Function<String, String> header, byte[] body,
                       Object prechecked) {
    }

    private final Parts c;

    public AttestationRoutes(Parts c) {
        this.c = c;
    }

    /**
     * A nonce ({@code 201}). Signed: for the signing machine, either purpose, limited per machine, with the digest of
     * the boot event log the server holds. Unsigned: a quote nonce only, limited per client address ({@link
     * #unsignedNonce}). {@code station} learns the machine once the signature has verified.
     */
    public NonceIssued nonce(Call r, Consumer<String> station) {
        if (r.header().apply(StationHeaders.SIGNATURE) == null) return unsignedNonce(r);
        StationCaller s = c.signed().recordNonce(signed(r, Requirement.ACTIVE, c.config().maxBodyBytes(), station));
        c.nonceLimit().acquire("machine:" + s.machine().id());
        NonceRequest request = r.body().length == 0 ? new NonceRequest(NoncePurpose.QUOTE)
                : JsonBodies.parse(r.body(), NonceRequest.class);
        if (request.machineId() != null && !request.machineId().equals(s.machine().id())) {
            throw new ApiException(ErrorCode.INVALID_FIELD, "machineId names another machine than the signature");
        }
        var issued = c.attestation().issueNonce(s.machine().id(), request.purpose().wire());
        // the digest of the boot event log the server holds: a station whose log is unchanged sends only that
        String held = c.attestation().measuredBoot().heldDigest(s.machine().id()).orElse(null);
        return new NonceIssued(issued.nonce(), request.purpose(), Views.time(issued.expiresAt()), held);
    }

    /**
     * A quote nonce without a signature: it reads and writes nothing and says nothing about the machine (not even
     * whether it exists), so it is limited per client address, not per machine, and a stranger cannot use up a
     * station's nonces.
     */
    private NonceIssued unsignedNonce(Call r) {
        c.nonceLimit().acquire(ClientAddress.limitKey(r.client()));
        NonceRequest request = JsonBodies.parse(json(r, c.config().maxBodyBytes()), NonceRequest.class);
        if (request.purpose() != NoncePurpose.QUOTE) {
            throw new ApiException(ErrorCode.SIGNATURE_MISSING, "Only a quote nonce may be asked for without "
                    + "signing; sign the request (" + StationHeaders.SIGNATURE + ") for a " + request.purpose().wire()
                    + " nonce");
        }
        if (request.machineId() == null) {
            throw new ApiException(ErrorCode.INVALID_FIELD, "An unsigned nonce request must name its machine in "
                    + "machineId (or be signed)");
        }
        var issued = c.attestation().issueNonce(request.machineId(), request.purpose().wire());
        return new NonceIssued(issued.nonce(), request.purpose(), Views.time(issued.expiresAt()), null);
    }

    /**
     * A quote ({@code 200} when it passes). Unsigned, the quote itself authenticates the request; signed, the
     * request's own nonce is recorded in the attestation's transaction (one commit for the request).
     */
    public QuoteResult quote(Call r, Consumer<String> station) {
        String machineId;
        AttestationService.Attested attested;
        if (r.header().apply(StationHeaders.SIGNATURE) == null) {
            // the gate let only a standard-sized body in
            QuoteSubmission q = JsonBodies.parse(json(r, c.config().maxBodyBytes()), QuoteSubmission.class);
            if (q.machineId() == null) {
                throw new ApiException(ErrorCode.SIGNATURE_MISSING, "Send the quote signed (" + StationHeaders.SIGNATURE
                        + ") or name the machine in machineId");
            }
            attested = c.failedChecks().guard(r.client(), () -> c.attestation().attestUnsigned(q.machineId(), q));
            machineId = q.machineId();
            // from here on the request is the machine's own (its quote verified)
            station.accept(machineId);
        } else {
            StationCaller s = signed(r, Requirement.ACTIVE, quoteBodyLimit(c.config()), station);
            QuoteSubmission q = JsonBodies.parse(json(r, quoteBodyLimit(c.config())), QuoteSubmission.class);
            if (q.machineId() != null && !q.machineId().equals(s.machine().id())) {
                throw new ApiException(ErrorCode.INVALID_FIELD, "machineId names another machine than the signature");
            }
            attested = c.attestation().attest(s, q);
            machineId = s.machine().id();
        }
        // The station schedules its next quote from this, so its own setting cannot drift from the server's policy.
        return new QuoteResult("PASSED", machineId, List.copyOf(attested.pcrs().keySet()),
                c.config().attestationInterval().toSeconds(), attested.boot().map(BootViews::quoteBoot).orElse(null),
                attested.boot().map(MeasuredBoot.Judgement::logSha256).orElse(null));
    }

    /** A quote may carry a boot event log of up to 1 MiB (base64). */
    static int quoteBodyLimit(ServerConfig config) {
        return Math.max(config.maxBodyBytes(), MeasuredBoot.MAX_QUOTE_BODY);
    }

    /**
     * The signature header was checked by the request gate before the body was read (StationPrechecks); here the
     * body is bound to it and the machine's state checked. The request's nonce is left to the caller.
     */
    private StationCaller signed(Call r, Requirement requirement, int bodyLimit, Consumer<String> station) {
        SignedRequestVerifier.Authenticated a = r.prechecked() instanceof SignedRequestVerifier.Authenticated done ? done
                : c.signed().authenticate(r.method(), r.path(), r.header().apply(StationHeaders.SIGNATURE));
        StationCaller s = c.signed().complete(a, bounded(r, bodyLimit), requirement);
        station.accept(s.machine().id());
        return s;
    }

    private static byte[] json(Call r, int maxBytes) {
        Bodies.requireJson(r.header().apply("Content-Type"));
        return bounded(r, maxBytes);
    }

    private static byte[] bounded(Call r, int maxBytes) {
        return Bodies.bounded(r.body(), maxBytes);
    }
}
