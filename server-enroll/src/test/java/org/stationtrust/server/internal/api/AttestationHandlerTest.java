package org.stationtrust.server.internal.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stationtrust.server.testing.TestServer;

/**
 * The attestation routes answer on Jetty's handler API, below the request gate, instead of through Javalin: over real
 * HTTP they must answer like every other route (headers, error body, refusals, what is left to the routes behind).
 */
class AttestationHandlerTest {
    private static final String NONCES = "/api/v1/attestation/nonces";
    private static final String QUOTES = "/api/v1/attestation/quotes";
    private static final List<String> HARDENING = List.of("x-content-type-options", "x-frame-options",
            "referrer-policy", "cache-control", "content-security-policy");
    private static final String MACHINE = "3f2a9c1e-8b7d-4e6f-9a1b-2c3d4e5f6a7b";
    @TempDir
    static Path dir;
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(dir);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static HttpResponse<String> send(String method, String path, String contentType, String body)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.server.baseUrl() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) b.header("Content-Type", contentType);
        return server.http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aNonceAnswerCarriesTheSameHardeningHeadersAsARouteBehindJavalin() throws Exception {
        HttpResponse<String> nonce = send("POST", NONCES, "application/json",
                "{\"purpose\":\"quote\",\"machineId\":\"" + MACHINE + "\"}");
        HttpResponse<String> health = send("GET", "/health", null, null);
        assertEquals(201, nonce.statusCode(), nonce.body());
        for (String h : HARDENING) {
            assertEquals(health.headers().allValues(h), nonce.headers().allValues(h), h);
            assertTrue(nonce.headers().firstValue(h).isPresent(), h);
        }
        assertTrue(nonce.headers().firstValue("x-request-id").orElse("").matches("[0-9a-f]{16}"));
        assertEquals("application/json", nonce.headers().firstValue("content-type").orElse(""));
        JsonNode body = TestServer.json(nonce);
        assertEquals("quote", body.path("purpose").asText());
        assertEquals(44, body.path("nonce").asText().length(), "a 32-byte nonce in base64");
        assertTrue(body.has("expiresAt"));
    }

    @Test
    void aRefusedQuoteGetsTheCommonErrorBodyWithTheRequestIdOfItsHeader() throws Exception {
        HttpResponse<String> r = send("POST", QUOTES, "application/json", "{\"nonce\":\"AAAA\",\"attest\":\"AAAA\","
                + "\"signature\":\"AAAA\",\"pcrs\":{\"0\":\"" + "00".repeat(32) + "\"},\"machineId\":\"" + MACHINE + "\"}");
        assertEquals(401, r.statusCode(), r.body());
        JsonNode body = TestServer.json(r);
        assertEquals("machine_unknown", body.path("error").path("code").asText());
        assertTrue(body.path("error").path("message").asText().contains("enroll this station first"));
        assertEquals(r.headers().firstValue("x-request-id").orElseThrow(), body.path("requestId").asText());
        for (String h : HARDENING) assertTrue(r.headers().firstValue(h).isPresent(), h);
    }

    @Test
    void aBodyThatIsNotJsonByItsContentTypeIsRefusedAsUnsupported() throws Exception {
        HttpResponse<String> r = send("POST", NONCES, "text/plain", "{\"purpose\":\"quote\",\"machineId\":\""
                + MACHINE + "\"}");
        assertEquals(415, r.statusCode(), r.body());
        assertEquals("unsupported_media_type", TestServer.json(r).path("error").path("code").asText());
    }

    @Test
    void malformedJsonIsRefusedWithWhatWasWrong() throws Exception {
        HttpResponse<String> r = send("POST", NONCES, "application/json", "{\"purpose\":\"quote\",\"purpose\":\"quote\"}");
        assertEquals(400, r.statusCode(), r.body());
        assertTrue(TestServer.json(r).path("error").path("message").asText().toLowerCase().contains("duplicate"),
                r.body());
    }

    @Test
    void otherMethodsOnTheAttestationPathsAreLeftToTheRoutesBehindWhichKnowNone() throws Exception {
        for (String path : List.of(NONCES, QUOTES)) {
            HttpResponse<String> r = send("GET", path, null, null);
            assertEquals(404, r.statusCode(), r.body());
            assertEquals("not_found", TestServer.json(r).path("error").path("code").asText());
        }
    }
}
