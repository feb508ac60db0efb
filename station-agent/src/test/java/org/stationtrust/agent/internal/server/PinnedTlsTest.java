package org.stationtrust.agent.internal.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.stationtrust.agent.PinnedTls;
import org.stationtrust.agent.testing.SelfSignedServer;

class PinnedTlsTest {
    private static HttpResponse<String> get(HttpClient client, String url) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void talksToTheServerWhoseCertificateIsPinned() throws Exception {
        try (SelfSignedServer server = new SelfSignedServer()) {
            String pin = PinnedTls.fingerprint(server.certificate());
            HttpClient client = ServerHttp.client(URI.create(server.url()), Optional.of(pin), Duration.ofSeconds(2));
            assertEquals("pinned-ok", get(client, server.url()).body());
        }
    }

    @Test
    void refusesAServerShowingAnotherCertificateEvenIfValid() throws Exception {
        try (SelfSignedServer server = new SelfSignedServer(); SelfSignedServer impostor = new SelfSignedServer()) {
            String pin = PinnedTls.fingerprint(server.certificate());
            HttpClient client = ServerHttp.client(URI.create(impostor.url()), Optional.of(pin), Duration.ofSeconds(2));
            SSLHandshakeException e = assertThrows(SSLHandshakeException.class, () -> get(client, impostor.url()));
            Throwable cause = e;
            while (cause != null && !(cause instanceof PinnedTls.ServerCertificateNotPinned)) cause = cause.getCause();
            assertTrue(cause != null, "the handshake fails because of the pin: " + e);
        }
    }
}
