package org.stationtrust.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stationtrust.server.internal.store.Database;
import org.stationtrust.server.internal.store.Migrations;
import org.stationtrust.server.testing.SoftwareEnrollee;
import org.stationtrust.server.testing.TestServer;

/** The low findings of issue 13, each checked against a running server. */
class LowFindingsTest {
    @TempDir
    Path dir;

    @Test
    void behindTheTlsProxyTheSessionCookieIsSecureAndHstsIsSent() throws Exception {
        try (TestServer server = TestServer.start(dir, b -> b.tls(ServerConfig.TlsMode.PLAINTEXT_BEHIND_TLS_PROXY))) {
            HttpResponse<String> health = server.request("GET", "/health", null, null);
            assertEquals("max-age=31536000", health.headers().firstValue("Strict-Transport-Security").orElse(""));
            HttpResponse<String> login = server.login(HttpClient.newHttpClient(), "auditor", TestServer.PASSWORD);
            assertEquals(303, login.statusCode());
            for (String cookie : login.headers().allValues("Set-Cookie")) {
                assertTrue(cookie.contains("; Secure"), cookie);
            }
        }
    }

    @Test
    void theSqliteDatabaseAndItsWalAreReadableByTheOwnerOnly() throws Exception {
        try (TestServer server = TestServer.start(dir)) {
            assertEquals(200, server.request("GET", "/ready", null, null).statusCode());
            int checked = 0;
            try (var files = Files.list(dir)) {
                for (Path p : files.filter(f -> f.getFileName().toString().contains(".db")).toList()) {
                    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(p)), p.toString());
                    checked++;
                }
            }
            assertTrue(checked >= 2, "the database and its -wal at least");
        }
    }

    @Test
    void duplicateKeysAndJavaTypeNamesNeverPassTheEdge() throws Exception {
        try (TestServer server = TestServer.start(dir)) {
            HttpResponse<String> dup = server.as(Role.ADMIN, "POST", "/api/v1/admin/enrollment-tokens",
                    "{\"note\":\"a\",\"note\":\"b\"}");
            assertEquals(400, dup.statusCode(), dup.body());
            assertTrue(dup.body().contains("Duplicate field"), dup.body());
            HttpResponse<String> wrongType = server.as(Role.ADMIN, "POST", "/api/v1/admin/machines/x/approve",
                    "{\"reason\":{\"a\":1}}");
            assertEquals("invalid_field", TestServer.errorCode(wrongType));
            HttpResponse<String> quote = server.request("POST", "/api/v1/enrollments", "{\"machineName\":[1]}", null);
            for (HttpResponse<String> r : java.util.List.of(dup, wrongType, quote)) {
                assertFalse(r.body().matches("(?s).*\\b(java|org|com)\\.[a-z]+\\.[A-Za-z.]+.*"), r.body());
            }
        }
    }

    @Test
    void machineNamesThatCouldPassForAnotherAreRefusedAndDuplicatesFlagged() throws Exception {
        try (TestServer server = TestServer.start(dir)) {
            for (String name : new String[] {"reg\u202Elaptop", "reg\u200Blaptop", "reg  laptop", " reg", "r\u0435g-laptop"}) {
                SoftwareEnrollee s = new SoftwareEnrollee(name);
                HttpResponse<String> r = server.stations.sendRaw("POST", "/api/v1/enrollments", s.enrollmentBody(), null);
                assertEquals("invalid_field", TestServer.errorCode(r), name + ": " + r.body());
            }
            SoftwareEnrollee first = new SoftwareEnrollee("reg-laptop-1");
            SoftwareEnrollee twin = new SoftwareEnrollee("reg-laptop-1");
            for (SoftwareEnrollee s : new SoftwareEnrollee[] {first, twin}) {
                HttpResponse<String> r = server.stations.sendRaw("POST", "/api/v1/enrollments", s.enrollmentBody(), null);
                assertEquals(201, r.statusCode(), r.body());
                assertEquals(200, server.stations.sendRaw("POST", "/api/v1/enrollments/" + TestServer.json(r)
                        .path("machineId").asText() + "/activation", s.activationBody(TestServer.json(r)), null).statusCode());
            }
            HttpClient browser = HttpClient.newBuilder().cookieHandler(new java.net.CookieManager()).build();
            server.login(browser, "approver", TestServer.PASSWORD);
            String page = browser.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.url("/admin")))
                    .build(), HttpResponse.BodyHandlers.ofString()).body();
            assertTrue(page.contains("Another machine already has this name"), page);
        }
    }

    @Test
    void tls12OffersNoCbcSuites() throws Exception {
        String url = "jdbc:sqlite:" + dir.resolve("tls.db");
        try (Database db = Database.open(url, null, null)) {
            new Migrations(db).apply();
        }
        try (EnrollmentServer server = EnrollmentServer.start(ServerConfig.builder(url).bind("127.0.0.1", 0)
                .tls(ServerConfig.TlsMode.DEV_SELF_SIGNED).build())) {
            SSLContext ssl = SSLContext.getInstance("TLSv1.2");
            ssl.init(null, new TrustManager[] {new X509TrustManager() {
                @Override
                public void checkClientTrusted(java.security.cert.X509Certificate[] c, String a) {
                }

                @Override
                public void checkServerTrusted(java.security.cert.X509Certificate[] c, String a) {
                    // this test looks at the cipher suites only
                }

                @Override
                public java.security.cert.X509Certificate[] getAcceptedIssuers() {
                    return new java.security.cert.X509Certificate[0];
                }
            }}, null);
            String[] cbc = java.util.Arrays.stream(ssl.getSupportedSSLParameters().getCipherSuites())
                    .filter(c -> c.contains("_CBC_")).toArray(String[]::new);
            assertTrue(cbc.length > 0);
            try (SSLSocket s = (SSLSocket) ssl.getSocketFactory().createSocket()) {
                s.connect(new InetSocketAddress("127.0.0.1", server.port()), 5000);
                s.setEnabledProtocols(new String[] {"TLSv1.2"});
                s.setEnabledCipherSuites(cbc);
                assertThrows(SSLHandshakeException.class, s::startHandshake, "a CBC-only TLS 1.2 client is refused");
            }
            try (SSLSocket s = (SSLSocket) ssl.getSocketFactory().createSocket()) {
                s.connect(new InetSocketAddress("127.0.0.1", server.port()), 5000);
                s.setEnabledProtocols(new String[] {"TLSv1.2"});
                s.startHandshake();
                assertFalse(s.getSession().getCipherSuite().contains("_CBC_"), s.getSession().getCipherSuite());
            }
        }
    }
}
