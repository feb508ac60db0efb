package org.stationtrust.server.internal.auth;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import org.stationtrust.server.Role;

/**
 * One operator route: method, path, least role, and whether it is an API route (bearer token) or a page
 * route (session cookie, CSRF on POST). The route table is the single list the server registers and the
 * access test walks, so a new route cannot be left unguarded.
 */
public record AdminRoute(HandlerType method, String path, Role role, Surface surface, Action action) {
    public enum Surface { API, PAGE }

    @FunctionalInterface
    public interface Action {
        void handle(Context ctx, Caller caller) throws Exception;
    }

    public AdminRoute {
        if (surface == Surface.API && !path.startsWith("/api/v1/")) {
            throw new IllegalArgumentException("API routes live under /api/v1/: " + path);
        }
        if (surface == Surface.PAGE && !path.startsWith("/admin")) {
            throw new IllegalArgumentException("Page admin routes live under /admin: " + path);
        }
    }
}
