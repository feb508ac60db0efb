package org.stationtrust.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.stationtrust.protocol.EnrollmentState;
import org.stationtrust.server.internal.auth.AdminRoute;
import org.stationtrust.server.testing.TestServer;

/**
 * Generated from the route table the server registers: every operator route refuses anonymous callers
 * and every role below the route's role, on the API (bearer) and on the page (session + CSRF).
 */
class RouteAccessTest {
    @TempDir
    static Path dir;
    static TestServer server;
    static final Map<Role, String> sessions = new EnumMap<>(Role.class);
    static final Map<Role, String> csrf = new EnumMap<>(Role.class);
    static final HttpClient noRedirects = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(dir, b -> b.rateLimits(1000, 1000, 1000));
        loginAll();
    }

    /** Logs every role in (again): the logout route ends the session it is called with. */
    static void loginAll() throws Exception {
        for (Role r : Role.values()) {
            HttpResponse<String> login = server.login(noRedirects, r.name().toLowerCase(), TestServer.PASSWORD);
            assertEquals(303, login.statusCode(), login.body());
            String cookie = login.headers().firstValue("Set-Cookie").orElseThrow();
            assertTrue(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), cookie);
            sessions.put(r, cookie.substring(0, cookie.indexOf(';')));
            HttpResponse<String> page = get("/admin", sessions.get(r));
            Matcher m = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(page.body());
            assertTrue(m.find(), page.body());
            csrf.put(r, m.group(1));
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static HttpResponse<String> get(String path, String cookie) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url(path))).GET();
        if (cookie != null) b.header("Cookie", cookie);
        return noRedirects.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> post(String path, String form, String cookie) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url(path)))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form));
        if (cookie != null) b.header("Cookie", cookie);
        return noRedirects.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String concrete(String path) {
        return path.replace("{id}", "0123456789abcdef0123456789abcdef").replace("{name}", "fleet");
    }

    static HttpResponse<String> call(AdminRoute route, Role role, boolean withCsrf) throws Exception {
        String path = concrete(route.path());
        if (route.surface() == AdminRoute.Surface.API) {
            return server.request(route.method().name(), path, route.method().name().equals("GET") ? null : "{}",
                    role == null ? null : server.tokens.get(role));
        }
        String cookie = role == null ? null : sessions.get(role);
        if (route.method().name().equals("GET")) return get(path, cookie);
        HttpResponse<String> r = post(path, "reason=because&note=x" + (withCsrf && role != null ? "&csrf="
                + csrf.get(role) : ""), cookie);
        if (path.equals("/admin/logout")) loginAll();
        return r;
    }

    @Test
    void theRouteTableCoversEveryOperatorRouteTheServerRegisters() {
        List<String> guarded = new ArrayList<>();
        server.server.adminRoutes().forEach(r -> guarded.add(r.method().name() + " " + r.path()));
        for (String route : server.server.registeredRoutes()) {
            String path = route.substring(route.indexOf(' ') + 1);
            boolean operator = path.startsWith("/api/v1/admin") || (path.startsWith("/admin") && !path.equals("/admin/login"));
            if (operator) assertTrue(guarded.contains(route), route + " is registered outside the route table");
        }
        assertTrue(guarded.size() > 20, "route table: " + guarded);
    }

    @TestFactory
    List<DynamicTest> everyOperatorRouteRefusesAnonymousAndUnderPrivilegedCallers() {
        List<DynamicTest> tests = new ArrayList<>();
        for (AdminRoute route : server.server.adminRoutes()) {
            String name = route.surface() + " " + route.method() + " " + route.path();
            tests.add(DynamicTest.dynamicTest(name + " refuses anonymous", () -> {
                HttpResponse<String> r = call(route, null, true);
                if (route.surface() == AdminRoute.Surface.PAGE && route.method().name().equals("GET")) {
                    assertEquals(303, r.statusCode());
                    assertEquals("/admin/login", r.headers().firstValue("Location").orElse(""));
                } else {
                    assertEquals(401, r.statusCode(), r.body());
                    assertTrue(r.body().contains("unauthenticated"), r.body());
                }
            }));
            for (Role role : Role.values()) {
                if (role.includes(route.role())) {
                    tests.add(DynamicTest.dynamicTest(name + " lets " + role + " past access control", () -> {
                        HttpResponse<String> r = call(route, role, true);
                        assertFalse(r.statusCode() == 401 || r.statusCode() == 403, r.statusCode() + " "
                                + r.body().substring(0, Math.min(300, r.body().length())));
                    }));
                } else {
                    tests.add(DynamicTest.dynamicTest(name + " refuses " + role, () -> {
                        HttpResponse<String> r = call(route, role, true);
                        assertEquals(403, r.statusCode(), r.body());
                        assertTrue(r.body().contains("forbidden"), r.body());
                    }));
                }
            }
            if (route.surface() == AdminRoute.Surface.PAGE && route.method().name().equals("POST")) {
                tests.add(DynamicTest.dynamicTest(name + " refuses a form without the CSRF token", () -> {
                    HttpResponse<String> r = call(route, Role.ADMIN, false);
                    assertEquals(403, r.statusCode(), r.body());
                    assertTrue(r.body().contains("csrf_token_invalid"), r.body());
                }));
            }
        }
        return tests;
    }

    @Test
    void packetVerificationNeedsAnAuditorTokenOrTheSigningStationItself() {
        var s = new org.stationtrust.server.testing.SoftwareStation();
        String own = server.seedMachine(s, EnrollmentState.ACTIVE, true);
        var other = new org.stationtrust.server.testing.SoftwareStation();
        String otherId = server.seedMachine(other, EnrollmentState.ACTIVE, true);
        String body = "{\"packet\":\"" + s.jws("capture-packet+jws", own, org.stationtrust.server.testing.TestPackets.payload(own, "p-1", "op1")) + "\"}";
        String foreign = "{\"packet\":\"" + other.jws("capture-packet+jws", otherId, org.stationtrust.server.testing.TestPackets.payload(otherId, "p-1", "op1")) + "\"}";
        assertEquals(401, server.request("POST", "/api/v1/packets/verify", body, null).statusCode());
        assertEquals(401, server.request("POST", "/api/v1/packets/verify", body, "sta_notatoken").statusCode());
        assertEquals(200, server.as(Role.AUDITOR, "POST", "/api/v1/packets/verify", foreign).statusCode());
        var signer = org.stationtrust.server.testing.StationClient.jcaSigner(s.machineKey());
        assertEquals(200, server.stations.send("POST", "/api/v1/packets/verify", body, own, signer).statusCode());
        var r = server.stations.send("POST", "/api/v1/packets/verify", foreign, own, signer);
        assertEquals(403, r.statusCode(), r.body());
        assertEquals("forbidden", TestServer.errorCode(r));
    }

    @Test
    void aRevokedApiTokenStopsWorking() {
        String token = TestServer.json(server.as(Role.ADMIN, "POST", "/api/v1/admin/api-tokens",
                "{\"username\":\"auditor\",\"label\":\"ci\"}")).path("token").asText();
        assertEquals(200, server.request("GET", "/api/v1/admin/machines", null, token).statusCode());
        String id = null;
        for (var t : TestServer.json(server.as(Role.ADMIN, "GET", "/api/v1/admin/api-tokens", null)).path("apiTokens")) {
            if (t.path("label").asText().equals("ci")) id = t.path("id").asText();
        }
        assertFalse(server.as(Role.ADMIN, "GET", "/api/v1/admin/api-tokens", null).body().contains(token),
                "tokens are never listed");
        assertEquals(200, server.as(Role.ADMIN, "POST", "/api/v1/admin/api-tokens/" + id + "/revoke",
                "{\"reason\":\"ci retired\"}").statusCode());
        assertEquals(401, server.request("GET", "/api/v1/admin/machines", null, token).statusCode());
    }

    @Test
    void aLoginFormPostedWithoutItsTokenIsRefused() throws Exception {
        HttpResponse<String> r = post("/admin/login", "username=admin&password=" + TestServer.PASSWORD.replace(" ", "+"),
                null);
        assertEquals(403, r.statusCode());
        assertTrue(r.body().contains("csrf_token_invalid"), r.body());
        assertTrue(r.headers().firstValue("Set-Cookie").isEmpty(), "no session");
    }

    @Test
    void refusedRequestsAreAudited() throws Exception {
        server.request("GET", "/api/v1/admin/machines", null, null);
        // Anonymous refusals are counted and written as one row per reason, source and minute (RefusalAudit).
        assertTrue(server.server.flushAnonymousRefusals() >= 1);
        HttpResponse<String> audit = server.as(Role.AUDITOR, "GET", "/api/v1/admin/audit?limit=50", null);
        assertTrue(audit.body().contains("REFUSED") && audit.body().contains("unauthenticated")
                && audit.body().contains("refused.anonymous"), audit.body());
    }
}
