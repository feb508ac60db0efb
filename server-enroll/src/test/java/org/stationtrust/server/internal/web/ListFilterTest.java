package org.stationtrust.server.internal.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stationtrust.protocol.EnrollmentState;
import org.stationtrust.server.testing.SoftwareStation;
import org.stationtrust.server.testing.TestServer;

/** The machine list's query string is parsed at the edge: an unknown status is refused, naming the allowed ones. */
class ListFilterTest {
    @TempDir
    Path dir;

    @Test
    void anUnknownAttestationStatusIsRefusedWithTheAllowedOnesAndAKnownOneFilters() throws Exception {
        try (TestServer server = TestServer.start(dir)) {
            String attested = server.seedMachine(new SoftwareStation(), EnrollmentState.ACTIVE, true);
            String unattested = server.seedMachine(new SoftwareStation(), EnrollmentState.ACTIVE, false);
            HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
            HttpResponse<String> login = server.login(client, "auditor", TestServer.PASSWORD);
            assertEquals(303, login.statusCode(), login.body());
            String cookie = login.headers().firstValue("Set-Cookie").orElseThrow().split(";", 2)[0];

            HttpResponse<String> unknown = get(client, server, "/admin/machines?attestation=MAYBE", cookie);
            assertEquals(400, unknown.statusCode(), unknown.body());
            assertTrue(unknown.body().contains("invalid_field"), unknown.body());
            assertTrue(unknown.body().contains("Unknown attestation status 'MAYBE': expected one of OK, FAILED, NONE,"
                    + " OVERDUE"), unknown.body());
            assertEquals(400, get(client, server, "/admin/machines?attestation=ok", cookie).statusCode(),
                    "the exact name only, as before");

            HttpResponse<String> none = get(client, server, "/admin/machines?attestation=NONE", cookie);
            assertEquals(200, none.statusCode(), none.body());
            assertTrue(none.body().contains(unattested) && !none.body().contains(attested), "NONE lists the unattested");
        }
    }

    private static HttpResponse<String> get(HttpClient client, TestServer server, String path, String cookie)
            throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(server.url(path))).header("Cookie", cookie).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
