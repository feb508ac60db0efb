package org.stationtrust.server.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Duration;
import java.util.Base64;
import java.util.function.Function;

/** Sends station requests signed per docs/server-api.md, with hooks to break each field in tests. */
public final class StationClient {
    private final HttpClient http;
    private final String baseUrl;

    public StationClient(HttpClient http, String baseUrl) {
        this.http = http;
        this.baseUrl = baseUrl;
    }

    public static String randomNonce() {
        byte[] b = new byte[18];
        new java.security.SecureRandom().nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    public static String payload(String method, String path, byte[] body, long timestamp, String nonce) {
        String bodyHash = Base64.getUrlEncoder().withoutPadding().encodeToString(SoftwareStation.sha256(body));
        return "{\"method\":\"" + method + "\",\"path\":\"" + path + "\",\"bodySha256\":\"" + bodyHash
                + "\",\"timestamp\":" + timestamp + ",\"nonce\":\"" + nonce + "\"}";
    }

    /** Signs with {@code signer} (JOSE r||s over the JWS signing input) and sends. */
    public HttpResponse<String> send(String method, String path, String body, String machineId,
                                     Function<byte[], byte[]> signer) {
        long ts = System.currentTimeMillis() / 1000;
        return sendRaw(method, path, body, header(machineId, payload(method, path, bytes(body), ts, randomNonce()),
                signer));
    }

    public static String header(String machineId, String payload, Function<byte[], byte[]> signer) {
        Base64.Encoder b = Base64.getUrlEncoder().withoutPadding();
        String h = "{\"alg\":\"ES256\",\"kid\":\"" + machineId + "\",\"typ\":\"station-request+jws\"}";
        String input = b.encodeToString(h.getBytes(StandardCharsets.UTF_8)) + "."
                + b.encodeToString(payload.getBytes(StandardCharsets.UTF_8));
        return input + "." + b.encodeToString(signer.apply(input.getBytes(StandardCharsets.US_ASCII)));
    }

    public static Function<byte[], byte[]> jcaSigner(KeyPair key) {
        return data -> SoftwareStation.sign(key, data);
    }

    public HttpResponse<String> sendRaw(String method, String path, String body, String signatureHeader) {
        try {
            HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30));
            if (signatureHeader != null) r.header("X-Station-Signature", signatureHeader);
            if (body != null) {
                r.header("Content-Type", "application/json");
                r.method(method, HttpRequest.BodyPublishers.ofString(body));
            } else {
                r.method(method, HttpRequest.BodyPublishers.noBody());
            }
            return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static byte[] bytes(String body) {
        return body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
    }
}
