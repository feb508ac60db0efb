package org.stationtrust.server.internal.http;

import io.javalin.http.Context;
import io.javalin.router.Endpoint;

/** The route pattern a request matched, for logs and audit rows (never the raw path, which carries ids). */
public final class Routes {
    public static final String UNMATCHED = "(unmatched)";

    private Routes() {
    }

    public static String matchedPath(Context ctx) {
        Endpoint e = ctx.endpoints().lastHttpEndpoint();
        if (e == null || e.path == null || e.path.isEmpty() || e.path.equals("*")) return UNMATCHED;
        return e.path;
    }
}
