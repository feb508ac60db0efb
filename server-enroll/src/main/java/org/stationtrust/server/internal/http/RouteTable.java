package org.stationtrust.server.internal.http;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The routes the server serves, as the router registered them ({@code "POST /api/v1/enrollments/{id}/activation"}),
 * so that the request gate can refuse a request nobody serves before it reserves anything for its body. Filled while
 * the server is configured, read afterwards.
 */
public final class RouteTable {
    private static final List<String> METHODS = List.of("GET", "POST", "PUT", "PATCH", "DELETE");

    private record Route(String method, String[] segments) {
        boolean matches(String m, String[] path) {
            if (!method.equals(m) || segments.length != path.length) return false;
            for (int i = 0; i < path.length; i++) {
                boolean parameter = segments[i].startsWith("{") && segments[i].endsWith("}");
                if (parameter ? path[i].isEmpty() : !segments[i].equals(path[i])) return false;
            }
            return true;
        }
    }

    private final List<Route> routes = new CopyOnWriteArrayList<>();

    /** Adds a route as "METHOD /path", path parameters in braces; other handler kinds (before, after) are ignored. */
    public void add(String methodAndPath) {
        int space = methodAndPath.indexOf(' ');
        String method = methodAndPath.substring(0, Math.max(0, space)).toUpperCase(Locale.ROOT);
        String path = methodAndPath.substring(space + 1);
        if (!METHODS.contains(method) || !path.startsWith("/")) return;
        if (path.contains("*") || path.contains("<")) {
            throw new IllegalArgumentException("wildcard routes are not supported by the request gate: " + path);
        }
        routes.add(new Route(method, path.split("/", -1)));
    }

    /** Whether a route serves this method and (canonical) path; HEAD is served where GET is. */
    public boolean serves(String method, String path) {
        String m = method.equals("HEAD") ? "GET" : method;
        String[] segments = path.split("/", -1);
        for (Route r : routes) {
            if (r.matches(m, segments)) return true;
        }
        return false;
    }
}
