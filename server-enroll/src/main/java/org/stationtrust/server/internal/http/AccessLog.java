package org.stationtrust.server.internal.http;

import org.stationtrust.logging.JsonLog;

/** One line per answered request, the same fields whichever layer answered it; the route pattern, never the raw path. */
public final class AccessLog {
    private final JsonLog log;

    public AccessLog(Class<?> owner) {
        this.log = new JsonLog(owner);
    }

    public void answered(String requestId, String method, String route, int status, String client, long startNanos) {
        log.info("request", "requestId", requestId, "method", method, "route", route, "status", status, "client", client,
                "ms", startNanos == 0 ? -1 : (System.nanoTime() - startNanos) / 1_000_000);
    }
}
