package org.stationtrust.agent.internal.api;

import io.javalin.http.Context;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import org.stationtrust.agent.AgentConfig;

/**
 * The checks every request passes before a route runs, in this order: the peer is loopback, the Host header names
 * loopback (a browser page cannot reach the API by DNS rebinding), and the bearer token matches (a CORS preflight,
 * when an origin is configured, carries none).
 */
final class RequestGuard {
    private final ApiToken token;
    private final AgentConfig.Api settings;

    RequestGuard(ApiToken token, AgentConfig.Api settings) {
        this.token = token;
        this.settings = settings;
    }

    void check(Context ctx) throws ApiRefusal {
        if (!isLoopback(ctx.req().getRemoteAddr())) {
            throw new ApiRefusal(RefusalCode.NOT_LOOPBACK,
                    "the local API answers only on 127.0.0.1; the request came from another address");
        }
        String host = Optional.ofNullable(ctx.header("Host")).orElse("");
        if (!isLoopbackHost(host)) {
            throw new ApiRefusal(RefusalCode.BAD_HOST,
                    "the Host header must name 127.0.0.1 or localhost (DNS rebinding protection)");
        }
        if (ctx.method().name().equals("OPTIONS") && settings.corsOrigin().isPresent()) return;
        String auth = ctx.header("Authorization");
        if (auth == null || auth.isBlank()) {
            throw new ApiRefusal(RefusalCode.MISSING_TOKEN, "send Authorization: Bearer <token>; the token is in the"
                    + " agent's state directory (file " + ApiToken.FILE_NAME + ")");
        }
        if (!auth.startsWith("Bearer ") || !token.matches(auth.substring(7).trim())) {
            throw new ApiRefusal(RefusalCode.WRONG_TOKEN, "the bearer token does not match the agent's token; re-read the "
                    + ApiToken.FILE_NAME + " file (it changes when the state directory is recreated)");
        }
    }

    static boolean isLoopback(String address) {
        try {
            return address != null && InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    static boolean isLoopbackHost(String hostHeader) {
        String host = hostHeader.replaceFirst(":\\d{1,5}$", "");
        return host.equals("127.0.0.1") || host.equals("localhost") || host.equals("[::1]");
    }
}
