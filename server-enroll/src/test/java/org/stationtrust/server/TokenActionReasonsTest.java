package org.stationtrust.server;

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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stationtrust.server.testing.TestDatabases;
import org.stationtrust.server.testing.TestServer;

/**
 * Expiring an enrollment token, revoking an API token and issuing a password reset take a reason (3-500 characters,
 * the audit row's detail) like every other operator decision: API, page and CLI (docs/server-api.md, "Operator API").
 */
class TokenActionReasonsTest {
    private static final String SHORT = "{\"reason\":\"no\"}";

    @TempDir
    Path dir;

    @Test
    void theApiRefusesEachActionWithoutAReasonAndAuditsTheReasonGiven() {
        try (TestServer server = TestServer.start(dir)) {
            String tokenId = TestServer.json(server.as(Role.ADMIN, "POST", "/api/v1/admin/enrollment-tokens",
                    "{\"note\":\"site 9\"}")).path("id").asText();
            String expire = "/api/v1/admin/enrollment-tokens/" + tokenId + "/expire";
            assertEquals("invalid_field", TestServer.errorCode(server.as(Role.ADMIN, "POST", expire, "{}")));
            assertEquals("invalid_field", TestServer.errorCode(server.as(Role.ADMIN, "POST", expire, SHORT)));
            assertEquals("invalid_field", TestServer.errorCode(server.as(Role.ADMIN, "POST", expire,
                    "{\"reason\":\"" + "x".repeat(501) + "\"}")), "more than 500 characters");
            assertTrue(server.as(Role.APPROVER, "GET", "/api/v1/admin/enrollment-tokens", null).body()
                    .contains("\"OPEN\""), "a refused expiry leaves the token open");
            assertEquals(200, server.as(Role.ADMIN, "POST", expire, "{\"reason\":\"station replaced\"}").statusCode());

            String apiToken = TestServer.json(server.as(Role.ADMIN, "POST", "/api/v1/admin/api-tokens",
                    "{\"username\":\"auditor\",\"label\":\"nightly\"}")).path("token").asText();
            String apiTokenId = apiTokenId(server, "nightly");
            String revoke = "/api/v1/admin/api-tokens/" + apiTokenId + "/revoke";
            assertEquals("invalid_field", TestServer.errorCode(server.as(Role.ADMIN, "POST", revoke, "{}")));
            assertEquals(200, server.request("GET", "/api/v1/admin/machines", null, apiToken).statusCode(),
                    "a refused revocation leaves the token working");
            assertEquals(200, server.as(Role.ADMIN, "POST", revoke, "{\"reason\":\"nightly job retired\"}").statusCode());
            assertEquals(401, server.request("GET", "/api/v1/admin/machines", null, apiToken).statusCode());

            String reset = "/api/v1/admin/users/approver/password-reset";
            assertEquals("invalid_field", TestServer.errorCode(server.as(Role.ADMIN, "POST", reset, SHORT)));
            assertEquals(201, server.as(Role.ADMIN, "POST", reset, "{\"reason\":\"forgot the password\"}").statusCode());

            assertEquals("station replaced", detail(server, "enrollment_token.expire"));
            assertEquals("nightly job retired", detail(server, "api_token.revoke"));
            assertTrue(detail(server, "user.password_reset_issued").startsWith("forgot the password ("),
                    detail(server, "user.password_reset_issued"));
        }
    }

    @Test
    void thePageFormsRequireAReasonToo() throws Exception {
        try (TestServer server = TestServer.start(dir)) {
            HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
            assertEquals(303, server.login(browser, "admin", TestServer.PASSWORD).statusCode());
            String tokenId = TestServer.json(server.as(Role.ADMIN, "POST", "/api/v1/admin/enrollment-tokens",
                    "{\"note\":\"site 10\"}")).path("id").asText();
            server.as(Role.ADMIN, "POST", "/api/v1/admin/api-tokens", "{\"username\":\"auditor\",\"label\":\"pager\"}");
            String apiTokenId = apiTokenId(server, "pager");
            String csrf = csrf(server, browser);

            String[] forms = {"/admin/tokens/" + tokenId + "/expire", "/admin/api-tokens/" + apiTokenId + "/revoke",
                    "/admin/users/approver/password-reset"};
            for (String form : forms) {
                HttpResponse<String> refused = post(server, browser, form, "csrf=" + csrf);
                assertEquals(400, refused.statusCode(), form + " without a reason");
                assertTrue(refused.body().contains("reason"), refused.body());
                assertEquals(400, post(server, browser, form, "csrf=" + csrf + "&reason=ok").statusCode(),
                        form + " with a reason of 2 characters");
            }
            assertEquals(303, post(server, browser, forms[0], "csrf=" + csrf + "&reason=site+closed").statusCode());
            assertEquals(303, post(server, browser, forms[1], "csrf=" + csrf + "&reason=pager+replaced").statusCode());
            HttpResponse<String> issued = post(server, browser, forms[2], "csrf=" + csrf + "&reason=locked+out");
            assertEquals(200, issued.statusCode());
            assertTrue(issued.body().contains("str_"), "the one-time token is shown");
            assertEquals("site closed", detail(server, "enrollment_token.expire"));
            assertEquals("pager replaced", detail(server, "api_token.revoke"));
            assertTrue(detail(server, "user.password_reset_issued").startsWith("locked out ("));
        }
    }

    @Test
    void theCommandLineResetNeedsAReason() {
        try (TestServer server = TestServer.start(dir)) {
            String db = "--db=" + TestDatabases.sqliteUrl(dir);
            assertNotEquals(0, ServerCommand.run("user", "reset-password", "approver", db), "without --reason");
            assertNotEquals(0, ServerCommand.run("user", "reset-password", "approver", "--reason", "no", db));
            assertEquals(0, ServerCommand.run("user", "reset-password", "approver", "--reason", "lost the phone", db));
            assertTrue(detail(server, "user.password_reset_issued").startsWith("lost the phone ("));
        }
    }

    private static String apiTokenId(TestServer server, String label) {
        for (JsonNode t : TestServer.json(server.as(Role.ADMIN, "GET", "/api/v1/admin/api-tokens", null))
                .path("apiTokens")) {
            if (t.path("label").asText().equals(label)) return t.path("id").asText();
        }
        throw new AssertionError("no API token labelled " + label);
    }

    /** The detail of the newest audit row of this action. */
    private static String detail(TestServer server, String action) {
        for (JsonNode e : TestServer.json(server.as(Role.AUDITOR, "GET", "/api/v1/admin/audit?limit=50", null))
                .path("events")) {
            if (e.path("action").asText().equals(action)) return e.path("detail").asText();
        }
        throw new AssertionError("no " + action + " audit row");
    }

    private static String csrf(TestServer server, HttpClient browser) throws Exception {
        String page = browser.send(HttpRequest.newBuilder(URI.create(server.url("/admin/users"))).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(page);
        assertTrue(m.find(), page);
        return m.group(1);
    }

    private static HttpResponse<String> post(TestServer server, HttpClient browser, String path, String form)
            throws Exception {
        return browser.send(HttpRequest.newBuilder(URI.create(server.url(path)))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
