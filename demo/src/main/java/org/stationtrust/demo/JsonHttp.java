package org.stationtrust.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.stationtrust.agent.PinnedTls;

/**
 * JSON over HTTP with a bearer token: the server's operator API (TLS trusting exactly the pinned
 * certificate, as the agent does) or the agent's local API (plain HTTP on 127.0.0.1).
 */
final class JsonHttp {
    static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client;
    private final String baseUrl;
    private final String bearer;

    /** One answer: status and JSON body. */
    record Answer(int status, JsonNode body) {
        boolean ok() {
            return status / 100 == 2;
        }
    }

    private JsonHttp(HttpClient client, String baseUrl, String bearer) {
        this.client = client;
        this.baseUrl = baseUrl;
        this.bearer = bearer;
    }

    /** The server's API over TLS trusting exactly the pinned public key, with the agent's own pinning. */
    static JsonHttp pinned(String baseUrl, String publicKeyPin, String bearer) {
        return new JsonHttp(HttpClient.newBuilder().sslContext(PinnedTls.context(
                        java.util.List.of(org.stationtrust.agent.PublicKeyPin.parse(publicKeyPin))))
                .connectTimeout(Duration.ofSeconds(5)).build(), baseUrl, bearer);
    }

    static JsonHttp loopback(int port, String bearer) {
        return new JsonHttp(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(),
                "http://127.0.0.1:" + port, bearer);
    }

    Answer get(String path) throws IOException, InterruptedException {
        return send(request(path).GET().build());
    }

    Answer post(String path, String json) throws IOException, InterruptedException {
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    /** Like {@link #post} but an answer other than 2xx is an error that names the call and the answer. */
    JsonNode postOk(String path, String json) throws IOException, InterruptedException {
        Answer a = post(path, json);
        if (!a.ok()) {
            throw new IllegalStateException("POST " + path + " answered " + a.status() + ": " + a.body());
        }
        return a.body();
    }

    /** PUT of a JSON document; an answer other than 2xx is an error that names the call and the answer. */
    JsonNode put(String path, String json) throws IOException, InterruptedException {
        Answer a = send(request(path).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)).build());
        if (!a.ok()) {
            throw new IllegalStateException("PUT " + path + " answered " + a.status() + ": " + a.body());
        }
        return a.body();
    }

    JsonNode getOk(String path) throws IOException, InterruptedException {
        Answer a = get(path);
        if (!a.ok()) {
            throw new IllegalStateException("GET " + path + " answered " + a.status() + ": " + a.body());
        }
        return a.body();
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + bearer);
    }

    private Answer send(HttpRequest r) throws IOException, InterruptedException {
        HttpResponse<String> response = client.send(r, HttpResponse.BodyHandlers.ofString());
        String body = response.body();
        JsonNode json = body == null || body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
        return new Answer(response.statusCode(), json);
    }
}
