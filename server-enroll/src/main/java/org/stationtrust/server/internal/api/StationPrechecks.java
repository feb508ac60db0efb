package org.stationtrust.server.internal.api;

import java.util.regex.Pattern;
import org.stationtrust.protocol.ErrorCode;
import org.stationtrust.server.Role;
import org.stationtrust.server.ServerConfig;
import org.stationtrust.server.internal.auth.Authenticator;
import org.stationtrust.server.internal.auth.Caller;
import org.stationtrust.server.internal.http.ApiException;
import org.stationtrust.server.internal.http.ClientAddress;
import org.stationtrust.server.internal.http.RateLimiter;
import org.stationtrust.server.internal.http.RequestGate;
import org.stationtrust.server.internal.metrics.ServerMetrics;
import org.stationtrust.server.internal.station.SignedRequestVerifier;

/**
 * The cheap checks each route gets before its body is read ({@link RequestGate}): a station's signature header,
 * key and timestamp; the operator token on the packet check; the enrollment rate limit. Only a request that passed
 * them may send a packet-sized body (or, on the quote route, a quote with its boot event log); every other body is
 * bounded by {@code maxBodyBytes}.
 */
final class StationPrechecks implements RequestGate.Precheck {
    static final String PACKETS_VERIFY = org.stationtrust.protocol.StationRoute.PACKETS_VERIFY.path();
    static final String PACKETS = org.stationtrust.protocol.StationRoute.PACKETS.path();
    /** A quote may carry the boot event log, so an authenticated station may send it a larger body. */
    static final String QUOTES = org.stationtrust.protocol.StationRoute.QUOTE.path();
    static final String NONCES = org.stationtrust.protocol.StationRoute.NONCE.path();
    private static final Pattern ACTIVATION = Pattern.compile("/api/v1/enrollments/[^/]{1,64}/activation");
    /** What this class uses of the running server (wired in {@code ServerRoutes}), nothing else. */
    public record Parts(Authenticator auth, ServerConfig config, RateLimiter enrollLimit, ServerMetrics metrics,
                        SignedRequestVerifier signed, org.stationtrust.server.internal.http.FailedChecks failedChecks) {
    }

    private final Parts c;
    private final int packetLimit;
    private final int quoteLimit;

    StationPrechecks(Parts c, int packetLimit, int quoteLimit) {
        this.c = c;
        this.packetLimit = packetLimit;
        this.quoteLimit = quoteLimit;
    }

    @Override
    public RequestGate.Admission admit(RequestGate.Head h) {
        try {
            return check(h);
        } catch (org.stationtrust.server.internal.store.StorageException e) {
            throw new ApiException(ErrorCode.STORAGE_UNAVAILABLE, "The database is unavailable; retry later");
        }
    }

    private RequestGate.Admission check(RequestGate.Head h) {
        int standard = c.config().maxBodyBytes();
        String path = h.path();
        if (RequestGate.operatorRoute(path)) {
            // the route guard decides; known here only so that an operator's body may use the whole body memory
            boolean body = !h.method().equals("GET") && !h.method().equals("HEAD");
            return new RequestGate.Admission(standard, null, body && operator(h));
        }
        if (!h.method().equals("POST")) return new RequestGate.Admission(standard, null);
        if (path.equals(org.stationtrust.protocol.StationRoute.ENROLL.path()) || ACTIVATION.matcher(path).matches()) {
            try {
                c.enrollLimit().acquire(ClientAddress.limitKey(h.client()));
            } catch (ApiException e) {
                // Refused before the route runs, so the route's own count of enrollment results never sees it.
                c.metrics().enrollment(path.equals(org.stationtrust.protocol.StationRoute.ENROLL.path()) ? ServerMetrics.EnrollmentStep.BEGIN
                        : ServerMetrics.EnrollmentStep.ACTIVATE, e.code());
                throw e;
            }
            return new RequestGate.Admission(standard, null);
        }
        if (path.equals(PACKETS_VERIFY) && h.header().apply("Authorization") != null) {
            Caller caller = c.auth().fromAuthorizationHeader(h.header().apply("Authorization")).orElseThrow(() ->
                    new ApiException(ErrorCode.UNAUTHENTICATED, "The API token is unknown, expired or revoked"));
            if (!caller.role().includes(Role.AUDITOR)) {
                throw new ApiException(ErrorCode.FORBIDDEN, "Checking packets needs the auditor role");
            }
            return new RequestGate.Admission(packetLimit, caller);
        }
        if (path.equals(PACKETS_VERIFY) || path.equals(PACKETS) || path.startsWith("/api/v1/attestation/")
                || path.startsWith("/api/v1/stations/")) {
            String header = h.header().apply(org.stationtrust.protocol.StationHeaders.SIGNATURE);
            if (header == null && (path.equals(NONCES) || path.equals(QUOTES))) {
                // Quote-authenticated attestation (docs/server-api.md): nothing to check before the body, so the
                // body gets only the standard limit; a quote with its whole boot event log must come signed.
                return new RequestGate.Admission(standard, null);
            }
            if (header == null && path.equals(PACKETS_VERIFY)) {
                throw new ApiException(ErrorCode.UNAUTHENTICATED, "Send an operator API token (Authorization: Bearer) "
                        + "or sign the request as a station (" + org.stationtrust.protocol.StationHeaders.SIGNATURE + ")");
            }
            SignedRequestVerifier.Authenticated a = c.failedChecks().guard(h.client(),
                    () -> c.signed().authenticate(h.method(), path, header));
            boolean packet = path.equals(PACKETS_VERIFY) || path.equals(PACKETS);
            return new RequestGate.Admission(packet ? packetLimit : path.equals(QUOTES) ? quoteLimit : standard, a);
        }
        return new RequestGate.Admission(standard, null);
    }

    /**
     * Whether the request carries a valid operator API token or page session (one indexed read). Only a size hint: the
     * route guard authenticates again once the body is there, so an operator disabled or a token revoked while the body
     * arrives (up to the body timeout, on any instance) is refused (OperatorLifecycleTest).
     */
    private boolean operator(RequestGate.Head h) {
        String authorization = h.header().apply("Authorization");
        if (authorization != null) return c.auth().fromAuthorizationHeader(authorization).isPresent();
        String cookies = h.header().apply("Cookie");
        if (cookies == null) return false;
        for (String cookie : cookies.split(";")) {
            String kv = cookie.strip();
            if (kv.startsWith(Authenticator.SESSION_COOKIE + "=")) {
                return c.auth().fromSession(kv.substring(Authenticator.SESSION_COOKIE.length() + 1)).isPresent();
            }
        }
        return false;
    }
}
