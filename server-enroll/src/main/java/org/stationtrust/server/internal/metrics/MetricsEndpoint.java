package org.stationtrust.server.internal.metrics;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import org.stationtrust.protocol.ErrorCode;
import org.stationtrust.server.Role;
import org.stationtrust.server.internal.auth.Authenticator;
import org.stationtrust.server.internal.auth.Caller;
import org.stationtrust.server.internal.auth.RouteGuard;
import org.stationtrust.server.internal.http.ApiException;
import org.stationtrust.server.internal.store.FleetCounts;

/**
 * {@code GET /metrics}: the Prometheus text format for a scraper holding either the scrape token
 * (SERVER_METRICS_TOKEN, good for nothing else) or an operator API token of the auditor role or above. Refusals go
 * through the usual error path, so they are counted and audited like any other.
 */
public final class MetricsEndpoint {
    public static final String PATH = "/metrics";
    /** Prometheus text exposition format 0.0.4, what every Prometheus version scrapes. */
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final ServerMetrics metrics;
    private final FleetCounts counts;
    private final Authenticator auth;
    private final Optional<byte[]> scrapeToken;

    public MetricsEndpoint(ServerMetrics metrics, FleetCounts counts, Authenticator auth, char[] scrapeTokenOrNull) {
        this.metrics = metrics;
        this.counts = counts;
        this.auth = auth;
        this.scrapeToken = Optional.ofNullable(scrapeTokenOrNull)
                .map(t -> new String(t).getBytes(StandardCharsets.UTF_8));
        metrics.fleet(counts);
    }

    public void register(RoutesConfig app) {
        app.get(PATH, this::scrape);
    }

    private void scrape(Context ctx) {
        authorize(ctx);
        counts.refresh(System.currentTimeMillis());
        ctx.contentType(CONTENT_TYPE).result(metrics.scrape());
    }

    private void authorize(Context ctx) {
        String header = ctx.header("Authorization");
        if (header != null && header.startsWith("Bearer ") && scrapeToken.isPresent()
                && MessageDigest.isEqual(scrapeToken.get(), header.substring(7).strip().getBytes(StandardCharsets.UTF_8))) {
            return;
        }
        Caller caller = auth.fromAuthorizationHeader(header).orElseThrow(() -> new ApiException(
                ErrorCode.UNAUTHENTICATED, "Send 'Authorization: Bearer <token>': the scrape token "
                + "(SERVER_METRICS_TOKEN) or an operator API token of the auditor role"));
        ctx.attribute(RouteGuard.CALLER_ATTRIBUTE, caller);
        if (!caller.role().includes(Role.AUDITOR)) {
            throw new ApiException(ErrorCode.FORBIDDEN, "Metrics need the auditor role");
        }
    }
}
