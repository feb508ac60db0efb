package org.stationtrust.server.internal.http;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The routes the server serves, as the router registered them ({@code "POST /api/v1/enrollments/{id}/activation"}),
 * so that the request gate can refuse a request nobody serves before it reserves anything for its body. Built once,
 * when every route is registered, and immutable after: the gate asks it on every request, so a lookup goes straight
 * to the routes of the request's method and segment count, and compares without a regex or an allocation.
 */
public final class RouteTable {
    private static final List<String> METHODS = List.of("GET", "POST", "PUT", "PATCH", "DELETE");

    /**
     * The routes of one method with one segment count: those without a path parameter by their whole path, the
     * others as their segments ({@code null} where a parameter stands).
     */
    private record Shape(Set<String> literal, List<String[]> parameterised) {
        boolean matches(String path) {
            if (literal.contains(path)) return true;
            for (String[] route : parameterised) {
                if (matches(route, path)) return true;
            }
            return false;
        }

        /** Walks the path's segments (it has as many as the route) without splitting it. */
        private static boolean matches(String[] route, String path) {
            int start = 0;
            for (String segment : route) {
                int end = path.indexOf('/', start);
                if (end < 0) end = path.length();
                int length = end - start;
                boolean same = segment == null ? length > 0
                        : segment.length() == length && path.regionMatches(start, segment, 0, length);
                if (!same) return false;
                start = end + 1;
            }
            return true;
        }
    }

    /** Per method, indexed by segment count (the number of slashes plus one); null where no route has that count. */
    private final Map<String, Shape[]> byMethod;

    private RouteTable(Map<String, Shape[]> byMethod) {
        this.byMethod = Map.copyOf(byMethod);
    }

    /**
     * The table of these routes, each "METHOD /path" with path parameters in braces; other handler kinds (before,
     * after) are left out. A wildcard route is refused: the gate could not tell which paths it serves.
     */
    public static RouteTable of(Collection<String> methodAndPaths) {
        Map<String, Map<Integer, List<String>>> grouped = new HashMap<>();
        for (String methodAndPath : methodAndPaths) {
            int space = methodAndPath.indexOf(' ');
            String method = methodAndPath.substring(0, Math.max(0, space)).toUpperCase(Locale.ROOT);
            String path = methodAndPath.substring(space + 1);
            if (!METHODS.contains(method) || !path.startsWith("/")) continue;
            if (path.contains("*") || path.contains("<")) {
                throw new IllegalArgumentException("wildcard routes are not supported by the request gate: " + path);
            }
            grouped.computeIfAbsent(method, m -> new HashMap<>())
                    .computeIfAbsent(segmentCount(path), n -> new ArrayList<>()).add(path);
        }
        Map<String, Shape[]> byMethod = new HashMap<>();
        grouped.forEach((method, byCount) -> {
            Shape[] shapes = new Shape[byCount.keySet().stream().mapToInt(Integer::intValue).max().orElse(0) + 1];
            byCount.forEach((count, paths) -> shapes[count] = shape(paths));
            byMethod.put(method, shapes);
        });
        return new RouteTable(byMethod);
    }

    private static Shape shape(List<String> paths) {
        Set<String> literal = new HashSet<>();
        List<String[]> parameterised = new ArrayList<>();
        for (String path : paths) {
            String[] segments = path.split("/", -1);
            boolean hasParameter = false;
            for (int i = 0; i < segments.length; i++) {
                if (segments[i].startsWith("{") && segments[i].endsWith("}")) {
                    segments[i] = null;
                    hasParameter = true;
                }
            }
            if (hasParameter) parameterised.add(segments);
            else literal.add(path);
        }
        return new Shape(Set.copyOf(literal), List.copyOf(parameterised));
    }

    private static int segmentCount(String path) {
        int slashes = 0;
        for (int i = 0; i < path.length(); i++) {
            if (path.charAt(i) == '/') slashes++;
        }
        return slashes + 1;
    }

    /** Whether a route serves this method and (canonical) path; HEAD is served where GET is. */
    public boolean serves(String method, String path) {
        Shape[] shapes = byMethod.get(method.equals("HEAD") ? "GET" : method);
        if (shapes == null) return false;
        int count = segmentCount(path);
        return count < shapes.length && shapes[count] != null && shapes[count].matches(path);
    }
}
