package org.stationtrust.server.internal.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stationtrust.server.Role;
import org.stationtrust.server.internal.auth.Authenticator;
import org.stationtrust.server.testing.TestServer;

/** A browser that signs in again keeps one session: the one its old cookie named ends (docs/server-api.md). */
class SignInAgainTest {
    @TempDir
    Path dir;

    @Test
    void theOldCookieIsRefusedAfterANewSignInFromTheSameBrowserWhileAnotherBrowserKeepsItsSession() throws Exception {
        try (TestServer server = TestServer.start(dir)) {
            CookieManager jar = new CookieManager();
            HttpClient browser = HttpClient.newBuilder().cookieHandler(jar).build();
            HttpClient otherBrowser = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
            assertEquals(303, server.login(otherBrowser, "approver", TestServer.PASSWORD).statusCode());
            assertEquals(303, server.login(browser, "approver", TestServer.PASSWORD).statusCode());
            String old = session(jar);
            assertEquals(200, overview(server, old), "the first session works");

            assertEquals(303, server.login(browser, "approver", TestServer.PASSWORD).statusCode());
            String current = session(jar);
            assertNotEquals(old, current);
            assertEquals(303, overview(server, old), "the replaced cookie is refused (sent to sign in)");
            assertEquals(200, overview(server, current));
            assertEquals(200, otherBrowser.send(HttpRequest.newBuilder(URI.create(server.url("/admin"))).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode(), "another browser's session stays");

            JsonNode events = TestServer.json(server.as(Role.AUDITOR, "GET", "/api/v1/admin/audit?limit=20", null));
            long ended = 0;
            for (JsonNode e : events.path("events")) {
                if (e.path("action").asText().equals("session.end")) {
                    ended++;
                    assertEquals("approver", e.path("subject").asText());
                    assertTrue(!e.path("detail").asText().contains(old), "the cookie itself is not audited");
                }
            }
            assertEquals(1, ended, "one earlier session ended, audited once: " + events);
        }
    }

    @Test
    void signingInAsAnotherOperatorFromTheSameBrowserEndsTheFirstOperatorsSession() throws Exception {
        try (TestServer server = TestServer.start(dir)) {
            CookieManager jar = new CookieManager();
            HttpClient browser = HttpClient.newBuilder().cookieHandler(jar).build();
            assertEquals(303, server.login(browser, "admin", TestServer.PASSWORD).statusCode());
            String adminSession = session(jar);
            assertEquals(303, server.login(browser, "auditor", TestServer.PASSWORD).statusCode());
            assertEquals(303, overview(server, adminSession), "the admin's session does not outlive the switch");
        }
    }

    private static String session(CookieManager jar) {
        return jar.getCookieStore().getCookies().stream().filter(c -> c.getName().equals(Authenticator.SESSION_COOKIE))
                .reduce((a, b) -> b).orElseThrow().getValue();
    }

    /** GET /admin with exactly this session cookie, from a client that keeps no cookies. */
    private static int overview(TestServer server, String session) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.url("/admin")))
                .header("Cookie", Authenticator.SESSION_COOKIE + "=" + session).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
