package org.stationtrust.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stationtrust.server.internal.store.Database;
import org.stationtrust.server.internal.store.Migrations;

/** Dev mode serves HTTPS with a generated certificate whose printed fingerprint is what a client pins. */
class TlsTest {
    @TempDir
    Path dir;

    @Test
    void devModeServesHttpsWithTheFingerprintItReports() throws Exception {
        String url = "jdbc:sqlite:" + dir.resolve("tls.db");
        try (Database db = Database.open(url, null, null)) {
            new Migrations(db).apply();
        }
        try (EnrollmentServer server = EnrollmentServer.start(ServerConfig.builder(url).bind("127.0.0.1", 0)
                .tls(ServerConfig.TlsMode.DEV_SELF_SIGNED).build())) {
            var cert = server.tlsCertificate().orElseThrow();
            String expected = HexFormat.ofDelimiter(":").withUpperCase().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(cert.getEncoded()));
            assertEquals(expected, server.tlsFingerprint().orElseThrow());

            KeyStore pinned = KeyStore.getInstance("PKCS12");
            pinned.load(null, null);
            pinned.setCertificateEntry("server", cert);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(pinned);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, tmf.getTrustManagers(), null);
            HttpClient client = HttpClient.newBuilder().sslContext(ssl).build();
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
            assertEquals("max-age=31536000", r.headers().firstValue("Strict-Transport-Security").orElse(""));
            HttpResponse<String> ready = client.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/ready"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, ready.statusCode(), ready.body());

            HttpClient unpinned = HttpClient.newHttpClient();
            assertThrows(SSLHandshakeException.class, () -> unpinned.send(HttpRequest.newBuilder(
                    URI.create(server.baseUrl() + "/health")).build(), HttpResponse.BodyHandlers.ofString()));
        }
    }

    @Test
    void servesTheCertificateOfAConfiguredKeystore() throws Exception {
        String url = "jdbc:sqlite:" + dir.resolve("ks.db");
        try (Database db = Database.open(url, null, null)) {
            new Migrations(db).apply();
        }
        var identity = org.stationtrust.server.internal.http.TlsIdentity.selfSigned();
        Path file = dir.resolve("server.p12");
        try (var out = java.nio.file.Files.newOutputStream(file)) {
            identity.keyStore().store(out, identity.password());
        }
        try (EnrollmentServer server = EnrollmentServer.start(ServerConfig.builder(url).bind("127.0.0.1", 0)
                .keystore(file, identity.password()).build())) {
            assertEquals(identity.fingerprint(), server.tlsFingerprint().orElseThrow());
            KeyStore pinned = KeyStore.getInstance("PKCS12");
            pinned.load(null, null);
            pinned.setCertificateEntry("server", identity.certificate());
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(pinned);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, tmf.getTrustManagers(), null);
            HttpResponse<String> r = HttpClient.newBuilder().sslContext(ssl).build().send(HttpRequest.newBuilder(
                    URI.create(server.baseUrl() + "/health")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
        }
    }

    @Test
    void refusesToStartOnAnUnmigratedDatabase() {
        String url = "jdbc:sqlite:" + dir.resolve("empty.db");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> EnrollmentServer.start(
                ServerConfig.builder(url).bind("127.0.0.1", 0).tls(ServerConfig.TlsMode.PLAINTEXT).build()));
        assertEquals(true, e.getMessage().contains("migrate"));
    }
}
