package org.stationtrust.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stationtrust.server.testing.TestDatabases;
import org.stationtrust.server.testing.TestServer;

/** Disable, enable, remove, change one's password, admin reset by one-time token: API, page and CLI (issue 13). */
class OperatorLifecycleTest {
    @TempDir
    Path dir;

    @Test
    void aDisabledOperatorIsLockedOutAtOnceAndEveryChangeIsAudited() throws Exception {
        try (TestServer server = TestServer.start(dir)) {
            HttpClient browser = HttpClient.newBuilder().cookieHandler(new java.net.CookieManager()).build();
            assertEquals(303, server.login(browser, "approver", TestServer.PASSWORD).statusCode());
            assertEquals(200, server.as(Role.APPROVER, "GET", "/api/v1/admin/machines", null).statusCode());

            assertEquals(403, server.as(Role.APPROVER, "POST", "/api/v1/admin/users/auditor/disable",
                    "{\"reason\":\"not mine\"}").statusCode(), "only admins manage operators");
            HttpResponse<String> disabled = server.as(Role.ADMIN, "POST", "/api/v1/admin/users/approver/disable",
                    "{\"reason\":\"left the project\"}");
            assertEquals(200, disabled.statusCode(), disabled.body());
            assertEquals(401, server.as(Role.APPROVER, "GET", "/api/v1/admin/machines", null).statusCode(),
                    "the API token stops at once");
            HttpResponse<String> page = browser.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                    server.url("/admin"))).build(), HttpResponse.BodyHandlers.ofString());
            assertFalse(page.statusCode() == 200 && page.body().contains("Pending enrollments"),
                    "the page session stops at once");
            assertEquals(401, server.login(HttpClient.newHttpClient(), "approver", TestServer.PASSWORD).statusCode(),
                    "a disabled operator cannot sign in");

            assertEquals("conflict", TestServer.errorCode(server.as(Role.ADMIN, "POST", "/api/v1/admin/users/admin/disable",
                    "{\"reason\":\"oops\"}")), "nobody disables themselves");
            assertEquals("conflict", TestServer.errorCode(server.as(Role.ADMIN, "POST", "/api/v1/admin/users/admin/remove",
                    "{\"reason\":\"oops\"}")));

            assertEquals(200, server.as(Role.ADMIN, "POST", "/api/v1/admin/users/approver/enable",
                    "{\"reason\":\"back on the project\"}").statusCode());
            assertEquals(401, server.as(Role.APPROVER, "GET", "/api/v1/admin/machines", null).statusCode(),
                    "tokens revoked at disabling stay revoked");
            assertEquals(303, server.login(HttpClient.newHttpClient(), "approver", TestServer.PASSWORD).statusCode());

            // Own password: the current one is required; the new one works, the old one no longer.
            assertEquals("forbidden", TestServer.errorCode(server.as(Role.AUDITOR, "POST", "/api/v1/admin/me/password",
                    "{\"currentPassword\":\"not it at all\",\"newPassword\":\"a brand new passphrase\"}")));
            assertEquals("invalid_field", TestServer.errorCode(server.as(Role.AUDITOR, "POST", "/api/v1/admin/me/password",
                    "{\"currentPassword\":\"" + TestServer.PASSWORD + "\",\"newPassword\":\"short\"}")));
            assertEquals(200, server.as(Role.AUDITOR, "POST", "/api/v1/admin/me/password", "{\"currentPassword\":\""
                    + TestServer.PASSWORD + "\",\"newPassword\":\"a brand new passphrase\"}").statusCode());
            assertEquals(401, server.login(HttpClient.newHttpClient(), "auditor", TestServer.PASSWORD).statusCode());
            assertEquals(303, server.login(HttpClient.newHttpClient(), "auditor", "a brand new passphrase").statusCode());

            // Admin reset: a one-time token, redeemed anonymously once.
            HttpResponse<String> issued = server.as(Role.ADMIN, "POST", "/api/v1/admin/users/auditor/password-reset",
                    "{\"reason\":\"forgot the password\"}");
            assertEquals(201, issued.statusCode(), issued.body());
            String token = TestServer.json(issued).path("token").asText();
            String redeem = "{\"token\":\"" + token + "\",\"newPassword\":\"reset by the admin today\"}";
            assertEquals(200, server.request("POST", "/api/v1/password-resets", redeem, null).statusCode());
            assertEquals("forbidden", TestServer.errorCode(server.request("POST", "/api/v1/password-resets", redeem, null)),
                    "the token works once");
            assertEquals(303, server.login(HttpClient.newHttpClient(), "auditor", "reset by the admin today").statusCode());

            // Remove, from the command line this time.
            assertEquals(0, ServerCommand.run("user", "remove", "approver", "--reason", "contract ended", "--db",
                    TestDatabases.sqliteUrl(dir)));
            assertFalse(server.as(Role.ADMIN, "GET", "/api/v1/admin/users", null).body().contains("\"approver\""));
            String audit = server.as(Role.ADMIN, "GET", "/api/v1/admin/audit?limit=200", null).body();
            for (String action : new String[] {"user.disable", "user.enable", "user.password_change",
                    "user.password_reset_issued", "user.password_reset", "user.remove"}) {
                assertTrue(audit.contains("\"" + action + "\""), action + " audited");
            }
            assertFalse(audit.contains(token) || audit.contains("reset by the admin today"), "no secret in the audit log");
        }
    }

    /**
     * The gate authenticates an operator on the headers (to size the body's memory), the route guard again once the body
     * is there: a request whose operator is disabled while its body arrives (up to the body timeout) is refused.
     */
    @Test
    void anOperatorDisabledWhileTheirBodyIsArrivingIsRefusedWhenItArrives() throws Exception {
        try (TestServer server = TestServer.start(dir)) {
            byte[] body = ("{\"currentPassword\":\"" + TestServer.PASSWORD + "\",\"newPassword\":\"changed while "
                    + "being disabled\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
            try (java.net.Socket s = org.stationtrust.server.testing.RawHttp.connect("127.0.0.1", server.server.port())) {
                org.stationtrust.server.testing.RawHttp.write(s, "POST /api/v1/admin/me/password HTTP/1.1\r\n"
                        + "Host: 127.0.0.1\r\nConnection: close\r\nAuthorization: Bearer " + server.tokens.get(Role.AUDITOR)
                        + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n");
                s.getOutputStream().write(body, 0, 10);
                s.getOutputStream().flush();
                Thread.sleep(300); // the gate has admitted the head as the auditor's and is waiting for the body
                assertEquals(200, server.as(Role.ADMIN, "POST", "/api/v1/admin/users/auditor/disable",
                        "{\"reason\":\"left mid-request\"}").statusCode());
                s.getOutputStream().write(body, 10, body.length - 10);
                s.getOutputStream().flush();
                org.stationtrust.server.testing.RawHttp.Answer answer =
                        org.stationtrust.server.testing.RawHttp.read(s.getInputStream());
                assertEquals(401, answer.status(), answer.body());
                assertEquals("unauthenticated", answer.errorCode());
            }
            assertEquals(200, server.as(Role.ADMIN, "POST", "/api/v1/admin/users/auditor/enable",
                    "{\"reason\":\"back\"}").statusCode());
            assertEquals(303, server.login(HttpClient.newHttpClient(), "auditor", TestServer.PASSWORD).statusCode(),
                    "the refused request did not change the password");
        }
    }
}
