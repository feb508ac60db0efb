package org.stationtrust.server.internal.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The request gate's question, "does any route serve this?", answered from the table's index. */
class RouteTableTest {
    private static final List<String> ROUTES = List.of(
            "GET /health",
            "GET /",
            "POST /api/v1/enrollments",
            "POST /api/v1/enrollments/{id}/activation",
            "GET /api/v1/enrollments/{id}",
            "DELETE /api/v1/admin/webhooks/{id}",
            "GET /api/v1/admin/machines/{id}",
            "GET /api/v1/admin/machines/search",
            "post /admin/machines/{id}/approve",
            "PUT /api/v1/admin/users/{name}/role",
            "BEFORE /api/v1/admin/machines/{id}",
            "AFTER /health/extra");

    private final RouteTable table = RouteTable.of(ROUTES);

    @Test
    void aLiteralRouteIsServedForItsMethodAndHeadWhereGetIs() {
        assertTrue(table.serves("GET", "/health"));
        assertTrue(table.serves("HEAD", "/health"));
        assertTrue(table.serves("GET", "/"));
        assertTrue(table.serves("POST", "/api/v1/enrollments"));
        assertFalse(table.serves("HEAD", "/api/v1/enrollments"), "HEAD stands in for GET only");
        assertFalse(table.serves("OPTIONS", "/health"));
    }

    @Test
    void theSameSegmentCountUnderAnotherMethodIsNotServed() {
        assertFalse(table.serves("POST", "/health"));
        assertFalse(table.serves("GET", "/api/v1/enrollments"));
        assertFalse(table.serves("GET", "/api/v1/admin/webhooks/w1"), "only DELETE has that shape");
        assertTrue(table.serves("DELETE", "/api/v1/admin/webhooks/w1"));
        assertFalse(table.serves("DELETE", "/api/v1/admin/machines/m1"), "only GET has that shape");
        assertFalse(table.serves("POST", "/api/v1/enrollments/e1"), "POST has the id route one segment longer");
    }

    @Test
    void aParameterMatchesAnyNonEmptySegmentAndALiteralOnlyItself() {
        assertTrue(table.serves("GET", "/api/v1/admin/machines/search"));
        assertTrue(table.serves("GET", "/api/v1/admin/machines/m-1"), "the parameter route beside the literal one");
        assertTrue(table.serves("POST", "/api/v1/enrollments/e1/activation"));
        assertFalse(table.serves("POST", "/api/v1/enrollments/e1/activations"), "a literal after a parameter");
        assertFalse(table.serves("POST", "/api/v1/enrollments/e1/activatio"));
        assertFalse(table.serves("POST", "/api/v1/enrollment/e1/activation"), "a literal before a parameter");
        assertTrue(table.serves("PUT", "/api/v1/admin/users/{name}/role"), "braces in a path are just characters");
        assertTrue(table.serves("POST", "/admin/machines/m1/approve"), "methods are registered in upper case");
    }

    @Test
    void anEmptySegmentOrATrailingSlashIsNeverServed() {
        assertFalse(table.serves("POST", "/api/v1/enrollments//activation"), "a parameter is never empty");
        assertFalse(table.serves("GET", "/api/v1/enrollments/"), "a trailing slash leaves the parameter empty");
        assertFalse(table.serves("POST", "/api/v1/enrollments/"));
        assertFalse(table.serves("GET", "/health/"));
        assertFalse(table.serves("GET", "//health"));
        assertFalse(table.serves("GET", ""));
        assertFalse(table.serves("GET", "/api/v1/admin/machines/search/"));
        assertFalse(table.serves("GET", "/api/v1/admin/machines"), "one segment short");
    }

    @Test
    void handlersThatAreNotRoutesAreLeftOut() {
        assertFalse(table.serves("GET", "/health/extra"));
        assertFalse(table.serves("POST", "/api/v1/admin/machines/m1"));
    }

    @Test
    void aWildcardRouteIsRefusedWhenTheTableIsBuilt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RouteTable.of(List.of("GET /files/*")));
        assertTrue(e.getMessage().contains("/files/*"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> RouteTable.of(List.of("GET /files/<path>")));
    }

    @Test
    void anEmptyTableServesNothing() {
        assertFalse(RouteTable.of(List.of()).serves("GET", "/"));
    }

    /**
     * Every route's path, and variants of it one edit away (a segment emptied or replaced, one added or dropped, a
     * trailing slash), under every method: the index answers as a plain scan of every route does.
     */
    @Test
    void theIndexAnswersAsAScanOfEveryRouteWould() {
        Set<String> paths = new LinkedHashSet<>(List.of("", "/", "//", "/x", "/health/x"));
        for (String route : ROUTES) {
            String path = route.substring(route.indexOf(' ') + 1);
            String[] segments = path.split("/", -1);
            paths.add(path);
            paths.add(path + "/");
            paths.add(path + "/x");
            paths.add(path.substring(0, Math.max(0, path.lastIndexOf('/'))));
            for (int i = 1; i < segments.length; i++) {
                for (String replacement : new String[] {"", "x", "search", "{id}"}) {
                    String[] edited = segments.clone();
                    edited[i] = replacement;
                    paths.add(String.join("/", edited));
                }
            }
        }
        int served = 0;
        for (String method : List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "BEFORE")) {
            for (String path : paths) {
                boolean expected = scan(method, path);
                assertEquals(expected, table.serves(method, path), method + " " + path);
                if (expected) served++;
            }
        }
        assertTrue(served > 20 && served < paths.size(), "the variants include served and unserved paths: " + served);
    }

    /** The answer by definition: some route of the method (GET for HEAD) matches segment by segment. */
    private static boolean scan(String method, String path) {
        String m = method.equals("HEAD") ? "GET" : method;
        if (!List.of("GET", "POST", "PUT", "PATCH", "DELETE").contains(m)) return false;
        String[] given = path.split("/", -1);
        List<String[]> candidates = new ArrayList<>();
        for (String route : ROUTES) {
            String[] parts = route.split(" ", 2);
            if (parts[0].equalsIgnoreCase(m)) candidates.add(parts[1].split("/", -1));
        }
        for (String[] route : candidates) {
            if (route.length != given.length) continue;
            boolean all = true;
            for (int i = 0; i < route.length && all; i++) {
                boolean parameter = route[i].startsWith("{") && route[i].endsWith("}");
                all = parameter ? !given[i].isEmpty() : route[i].equals(given[i]);
            }
            if (all) return true;
        }
        return false;
    }
}
