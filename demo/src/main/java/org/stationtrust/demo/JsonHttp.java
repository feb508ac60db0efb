package org.stationtrust.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

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

    static JsonHttp pinned(String baseUrl, String sha256Fingerprint, String bearer) {
        try {
            SSLContext tls = SSLContext.getInstance("TLSv1.3");
            tls.init(null, new TrustManager[] {new PinnedCertificate(sha256Fingerprint)}, null);
            return new JsonHttp(HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(5)).build(),
                    baseUrl, bearer);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("TLS 1.3 is unavailable in this JVM", e);
        }
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

    /** Trusts exactly the leaf certificate whose SHA-256 (over its DER) is pinned; nothing else. */
    private static final class PinnedCertificate extends X509ExtendedTrustManager {
        private final String pin;

        PinnedCertificate(String fingerprint) {
            pin = fingerprint.replace(":", "").toLowerCase(Locale.ROOT);
            if (!pin.matches("[0-9a-f]{64}")) {
                throw new IllegalArgumentException("a certificate pin is 64 hex digits (SHA-256), got " + pin.length());
            }
        }

        private void check(X509Certificate[] chain) throws CertificateException {
            if (chain == null || chain.length == 0) {
                throw new CertificateException("the server presented no certificate");
            }
            try {
                String seen = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(chain[0].getEncoded()));
                if (!MessageDigest.isEqual(seen.getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                        pin.getBytes(java.nio.charset.StandardCharsets.US_ASCII))) {
                    throw new CertificateException("the server presented certificate SHA-256 " + seen
                            + " but the demo pinned " + pin);
                }
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new CertificateException(e);
            }
            chain[0].checkValidity();
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            check(chain);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            check(chain);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            check(chain);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("not a TLS server");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            throw new CertificateException("not a TLS server");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            throw new CertificateException("not a TLS server");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
