package org.stationtrust.sbi.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

/**
 * Test fixtures of this module, in one place: a shared device-provider CA, a bare HTTP client
 * that speaks SBI's custom verbs, and independent helpers to read JWS, hash chains and ISO headers.
 * Nothing here uses the simulator's internal classes, so the tests check the wire, not the code.
 */
final class TestDevices {
    /** One CA for all tests: RSA key generation is the slowest thing a test does. */
    static final DeviceProviderCa CA = DeviceProviderCa.generate("Test Device Provider CA");
    static final ObjectMapper JSON = new ObjectMapper();
    static final String EMPTY_SHA256_HEX = "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855";
    static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();

    private TestDevices() {
    }

    static SimulatedDevice start(DeviceKind kind) {
        return SbiSimulator.start(config(kind).build());
    }

    static SimulatorConfig.Builder config(DeviceKind kind) {
        return SimulatorConfig.builder(kind).anyFreePort().ca(CA);
    }

    static HttpResponse<byte[]> send(SimulatedDevice d, String verb, String path, String body, Duration timeout)
            throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(d.callbackUrl().resolve(path))
                .timeout(timeout)
                .method(verb, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .build();
        return HTTP.send(req, HttpResponse.BodyHandlers.ofByteArray());
    }

    static JsonNode call(SimulatedDevice d, String verb, String path, Object body) throws Exception {
        HttpResponse<byte[]> r = send(d, verb, path, body == null ? null : body.toString(), Duration.ofSeconds(20));
        assertEquals(200, r.statusCode(), () -> verb + " " + path + " answered " + r.statusCode()
                + ": " + new String(r.body(), StandardCharsets.UTF_8));
        return JSON.readTree(r.body());
    }

    static JsonNode discover(SimulatedDevice d, String type) throws Exception {
        return call(d, "MOSIPDISC", "/device", JSON.createObjectNode().put("type", type));
    }

    static JsonNode info(SimulatedDevice d) throws Exception {
        return call(d, "MOSIPDINFO", "/info", null);
    }

    static JsonNode admin(SimulatedDevice d, String route, String body) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(d.callbackUrl().resolve("/admin/" + route))
                .timeout(Duration.ofSeconds(10))
                .method(body == null ? "GET" : "POST", body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .build();
        HttpResponse<String> r = HTTP.send(req, HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), () -> "admin " + route + " answered " + r.statusCode() + ": " + r.body());
        return JSON.readTree(r.body());
    }

    /** A registration capture request following the interop rules of docs/sbi-protocol.md. */
    static ObjectNode rcapture(DeviceKind kind, int deviceSubId, int count, List<String> exceptions,
                               String previousHash) {
        ObjectNode req = JSON.createObjectNode();
        req.put("env", "Staging");
        req.put("purpose", "Registration");
        req.put("specVersion", "0.9.5");
        req.put("timeout", "10000");
        req.put("captureTime", java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'")
                .withZone(java.time.ZoneOffset.UTC).format(java.time.Instant.now()));
        req.put("transactionId", UUID.randomUUID().toString());
        ObjectNode bio = req.putArray("bio").addObject();
        bio.put("type", kind.bioType());
        bio.put("count", String.valueOf(count));
        bio.putArray("bioSubType");
        ArrayNode ex = bio.putArray("exception");
        exceptions.forEach(ex::add);
        bio.put("requestedScore", "40");
        bio.put("deviceId", kind.deviceId());
        bio.put("deviceSubId", String.valueOf(deviceSubId));
        bio.put("previousHash", previousHash);
        req.putNull("customOpts");
        return req;
    }

    static JsonNode capture(SimulatedDevice d, ObjectNode request) throws Exception {
        return call(d, "RCAPTURE", "/capture", request);
    }

    static String errorCode(JsonNode element) {
        return element.path("error").path("errorCode").asText();
    }

    /** A compact JWS split into its parts. */
    record Jws(JsonNode header, byte[] payload, byte[] signature, String signingInput) {
        static Jws parse(String compact) throws IOException {
            String[] parts = compact.split("\\.", -1);
            assertEquals(3, parts.length, "compact JWS has three parts");
            return new Jws(JSON.readTree(b64url(parts[0])), b64url(parts[1]), b64url(parts[2]),
                    parts[0] + "." + parts[1]);
        }

        JsonNode payloadJson() throws IOException {
            return JSON.readTree(payload);
        }

        X509Certificate x5c() throws GeneralSecurityException {
            JsonNode chain = header.get("x5c");
            assertTrue(chain != null && chain.isArray() && chain.size() >= 1, "x5c present");
            return certificate(Base64.getDecoder().decode(chain.get(0).asText()));
        }

        boolean verifiesWith(X509Certificate cert) throws GeneralSecurityException {
            Signature s = Signature.getInstance("SHA256withRSA");
            s.initVerify(cert.getPublicKey());
            s.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return s.verify(signature);
        }
    }

    static byte[] b64url(String s) {
        return Base64.getUrlDecoder().decode(s);
    }

    static X509Certificate certificate(byte[] der) throws GeneralSecurityException {
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
    }

    static boolean chainsTo(X509Certificate cert, X509Certificate ca) {
        try {
            cert.verify(ca.getPublicKey());
            return cert.getIssuerX500Principal().equals(ca.getSubjectX500Principal());
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    static byte[] sha256(byte[]... parts) throws GeneralSecurityException {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        for (byte[] p : parts) {
            md.update(p);
        }
        return md.digest();
    }

    /** docs/sbi-protocol.md §Hash chain, recomputed from the bioValues independently of the simulator. */
    static String chainHash(String previousHashHex, byte[] isoRecord) throws GeneralSecurityException {
        byte[] prev = HexFormat.of().parseHex(previousHashHex);
        return HexFormat.of().withUpperCase().formatHex(sha256(prev, sha256(isoRecord)));
    }
}
