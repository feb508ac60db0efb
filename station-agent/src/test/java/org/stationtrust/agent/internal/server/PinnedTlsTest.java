package org.stationtrust.agent.internal.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.stationtrust.agent.PinnedTls;
import org.stationtrust.agent.PublicKeyPin;
import org.stationtrust.agent.testing.SelfSignedServer;

/** Pinning the server's public key (SubjectPublicKeyInfo SHA-256), against real HTTPS servers. */
class PinnedTlsTest {
    private static HttpResponse<String> get(HttpClient client, String url) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpClient pinned(SelfSignedServer server, PublicKeyPin... pins) {
        return ServerHttp.client(URI.create(server.url()), List.of(pins), Duration.ofSeconds(2));
    }

    private static void assertRefusedByThePin(HttpClient client, String url) {
        SSLHandshakeException e = assertThrows(SSLHandshakeException.class, () -> get(client, url));
        Throwable cause = e;
        while (cause != null && !(cause instanceof PinnedTls.ServerCertificateNotPinned)) cause = cause.getCause();
        assertTrue(cause != null, "the handshake fails because of the pin: " + e);
    }

    @Test
    void talksToTheServerWhoseKeyIsPinned() throws Exception {
        try (SelfSignedServer server = new SelfSignedServer()) {
            PublicKeyPin pin = PublicKeyPin.of(server.certificate().getPublicKey());
            assertEquals("pinned-ok", get(pinned(server, pin), server.url()).body());
        }
    }

    @Test
    void aCertificateRenewedWithTheSameKeyStillMatches() throws Exception {
        KeyPair key = SelfSignedServer.newKey();
        try (SelfSignedServer first = new SelfSignedServer(key)) {
            PublicKeyPin pin = PublicKeyPin.of(first.certificate().getPublicKey());
            try (SelfSignedServer renewed = new SelfSignedServer(key)) {
                assertTrue(!first.certificate().equals(renewed.certificate()), "a new certificate was issued");
                assertEquals("pinned-ok", get(pinned(renewed, pin), renewed.url()).body());
            }
        }
    }

    @Test
    void theNextKeyIsAcceptedOnceItsPinIsListedAndNotBefore() throws Exception {
        try (SelfSignedServer current = new SelfSignedServer(); SelfSignedServer next = new SelfSignedServer()) {
            PublicKeyPin currentPin = PublicKeyPin.of(current.certificate().getPublicKey());
            PublicKeyPin nextPin = PublicKeyPin.of(next.certificate().getPublicKey());
            assertRefusedByThePin(pinned(next, currentPin), next.url());
            assertEquals("pinned-ok", get(pinned(current, currentPin, nextPin), current.url()).body());
            assertEquals("pinned-ok", get(pinned(next, currentPin, nextPin), next.url()).body());
        }
    }

    @Test
    void refusesAServerShowingAnotherKeyEvenWithAValidCertificate() throws Exception {
        try (SelfSignedServer server = new SelfSignedServer(); SelfSignedServer impostor = new SelfSignedServer()) {
            PublicKeyPin pin = PublicKeyPin.of(server.certificate().getPublicKey());
            assertRefusedByThePin(pinned(impostor, pin), impostor.url());
        }
    }

    @Test
    void pinsParseFromTheOkHttpFormAndFromHexAndRefuseAnythingElse() {
        PublicKeyPin hex = PublicKeyPin.parse("00".repeat(32));
        assertEquals("sha256/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", hex.toString());
        assertEquals(hex, PublicKeyPin.parse(hex.toString()));
        for (String bad : new String[] {"", "sha256/", "sha256/AAAA", "sha1/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", "00".repeat(31)}) {
            assertThrows(IllegalArgumentException.class, () -> PublicKeyPin.parse(bad), bad);
        }
    }
}
