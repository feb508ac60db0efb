package org.stationtrust.server.internal.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stationtrust.logging.UrlRedaction;
import org.stationtrust.server.Role;
import org.stationtrust.server.ServerConfig;
import org.stationtrust.server.testing.TestServer;

/** A webhook URL's credential is seen once, by the admin who typed it; every later view is redacted (docs/server-api.md). */
class WebhookUrlRedactionTest {
    private static final String TOKEN = "xoxbT0kenInThePath42";
    private static final String QUERY_SECRET = "qs3cretQueryValue";
    private static final String URL = "http://127.0.0.1:9/services/T0TEAM/B0HOOK/" + TOKEN + "?code=" + QUERY_SECRET;

    @TempDir
    Path dir;

    @Test
    void onlyTheCreatingAnswerHoldsTheWholeUrlAndNeitherTheAuditorsPageNorTheAuditRowHoldItsSecretPart()
            throws Exception {
        try (TestServer server = TestServer.start(dir, b -> b.webhooks(
                ServerConfig.WebhookPolicy.DEFAULT.allowingPrivateTargets(true)))) {
            HttpResponse<String> created = server.as(Role.ADMIN, "POST", "/api/v1/admin/webhooks",
                    "{\"url\":\"" + URL + "\",\"events\":[\"machine.revoked\"]}");
            assertEquals(201, created.statusCode(), created.body());
            assertEquals(URL, TestServer.json(created).path("url").asText(), "the admin sees what they typed, once");
            String shown = UrlRedaction.of(URL);
            assertTrue(shown.startsWith("http://127.0.0.1:9/services/T0TEAM/[redacted]?[redacted] (sha256:"), shown);

            HttpClient auditor = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
            assertEquals(303, server.login(auditor, "auditor", TestServer.PASSWORD).statusCode());
            String page = auditor.send(HttpRequest.newBuilder(URI.create(server.url("/admin/webhooks"))).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertTrue(page.contains("127.0.0.1:9/services/T0TEAM/") && page.contains(UrlRedaction.fingerprint(URL)),
                    "the auditor can tell which receiver it is: " + page);
            String list = server.as(Role.ADMIN, "GET", "/api/v1/admin/webhooks", null).body();
            assertEquals(shown, TestServer.json(list).path("webhooks").get(0).path("url").asText());
            String audit = server.as(Role.AUDITOR, "GET", "/api/v1/admin/audit?limit=50", null).body();
            assertTrue(audit.contains("webhook.create") && audit.contains(UrlRedaction.fingerprint(URL)), audit);

            HttpResponse<String> refused = server.as(Role.ADMIN, "POST", "/api/v1/admin/webhooks",
                    "{\"url\":\"ftp://files.example/drop/" + TOKEN + "?code=" + QUERY_SECRET + "\",\"events\":[\"machine.revoked\"]}");
            assertEquals("invalid_field", TestServer.errorCode(refused));
            audit = server.as(Role.AUDITOR, "GET", "/api/v1/admin/audit?limit=50", null).body();
            for (String where : List.of(page, list, audit)) {
                assertFalse(where.contains(TOKEN) || where.contains(QUERY_SECRET) || where.contains("B0HOOK"),
                        "no secret part of the URL: " + where);
            }
        }
    }
}
