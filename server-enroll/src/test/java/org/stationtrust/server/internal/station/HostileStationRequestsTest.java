package org.stationtrust.server.internal.station;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stationtrust.server.Role;
import org.stationtrust.server.testing.SoftwareEnrollee;
import org.stationtrust.server.testing.StationClient;
import org.stationtrust.server.testing.TestServer;

/**
 * Hostile input against the signed-request and packet checks, on a station enrolled through the real
 * protocol: algorithm confusion (HS256 keyed with the station's public key, {@code none} without a
 * signature), a signed request presented as a capture packet and the reverse, oversized headers, and
 * protocol steps sent out of order. SignedRequestTest covers the ordinary refusals (replay, stale time,
 * wrong key, other path or body, {@code none} with a signature, extra header fields).
 */
class HostileStationRequestsTest {
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();
    @TempDir static Path dir;
    private static TestServer server;
    private static SoftwareEnrollee station;

    @BeforeAll
    static void start() {
        server = TestServer.start(dir);
        station = new SoftwareEnrollee("hostile-1");
        enrollAndAttest(server, station);
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    /** The whole protocol over HTTP: enroll, activate, approval by an admin, one passing attestation. */
    static void enrollAndAttest(TestServer server, SoftwareEnrollee s) {
        HttpResponse<String> e = server.stations.sendRaw("POST", "/api/v1/enrollments", s.enrollmentBody(), null);
        assertEquals(201, e.statusCode(), e.body());
        JsonNode challenge = TestServer.json(e);
        s.machineId = challenge.path("machineId").asText();
        HttpResponse<String> a = server.stations.sendRaw("POST", "/api/v1/enrollments/" + s.machineId + "/activation",
                s.activationBody(challenge), null);
        assertEquals(200, a.statusCode(), a.body());
        assertEquals(200, server.as(Role.ADMIN, "POST", "/api/v1/admin/machines/" + s.machineId + "/approve",
                "{\"reason\":\"hostile input test\"}").statusCode());
        HttpResponse<String> n = signed(server, s, "POST", "/api/v1/attestation/nonces", "{\"purpose\":\"quote\"}");
        assertEquals(201, n.statusCode(), n.body());
        HttpResponse<String> q = signed(server, s, "POST", "/api/v1/attestation/quotes",
                s.quoteJson(TestServer.json(n).path("nonce").asText()).toString());
        assertEquals(200, q.statusCode(), q.body());
    }

    static HttpResponse<String> signed(TestServer server, SoftwareEnrollee s, String method, String path, String body) {
        return server.stations.send(method, path, body, s.machineId, StationClient.jcaSigner(s.machineKey()));
    }

    private static String jws(String header, String payload, Function<byte[], byte[]> signer) {
        String input = B64URL.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                + B64URL.encodeToString(payload.getBytes(StandardCharsets.UTF_8));
        return input + "." + B64URL.encodeToString(signer.apply(input.getBytes(StandardCharsets.US_ASCII)));
    }

    private static Function<byte[], byte[]> hmacKeyedWith(byte[] key) {
        return data -> {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(key, "HmacSHA256"));
                return mac.doFinal(data);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
    }

    private static String requestPayload(String method, String path) {
        return StationClient.payload(method, path, new byte[0], System.currentTimeMillis() / 1000, StationClient.randomNonce());
    }

    @Test
    void refusesHs256KeyedWithTheStationsPublicKeyAndNoneWithoutSignature() {
        byte[] spki = station.machineKey().getPublic().getEncoded();
        String pem = "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(spki) + "\n-----END PUBLIC KEY-----\n";
        String header = "{\"alg\":\"%s\",\"kid\":\"" + station.machineId + "\",\"typ\":\"station-request+jws\"}";
        String[] attempts = {
            jws(String.format(header, "HS256"), requestPayload("GET", "/api/v1/stations/me"), hmacKeyedWith(spki)),
            jws(String.format(header, "HS256"), requestPayload("GET", "/api/v1/stations/me"), hmacKeyedWith(pem.getBytes(StandardCharsets.US_ASCII))),
            jws(String.format(header, "HS256"), requestPayload("GET", "/api/v1/stations/me"), hmacKeyedWith(station.machineKeyPublic())),
            jws(String.format(header, "none"), requestPayload("GET", "/api/v1/stations/me"), data -> new byte[0]),
            jws(String.format(header, "NONE"), requestPayload("GET", "/api/v1/stations/me"), data -> new byte[0]),
            jws(String.format(header, "ES384"), requestPayload("GET", "/api/v1/stations/me"), StationClient.jcaSigner(station.machineKey())),
            jws(String.format(header, "RS256"), requestPayload("GET", "/api/v1/stations/me"), StationClient.jcaSigner(station.machineKey())),
        };
        for (String attempt : attempts) {
            HttpResponse<String> r = server.stations.sendRaw("GET", "/api/v1/stations/me", null, attempt);
            assertEquals("signature_invalid", TestServer.errorCode(r), attempt.substring(0, attempt.indexOf('.')));
        }
        assertEquals(200, signed(server, station, "GET", "/api/v1/stations/me", null).statusCode(), "the genuine request still works");
    }

    @Test
    void refusesForgedOrMistypedCapturePackets() {
        byte[] spki = station.machineKey().getPublic().getEncoded();
        String packet = new String(org.stationtrust.server.testing.TestPackets.payload(station.machineId, "p-1",
                "op1"), java.nio.charset.StandardCharsets.UTF_8);
        String packetHeader = "{\"alg\":\"%s\",\"kid\":\"" + station.machineId + "\",\"typ\":\"capture-packet+jws\"}";
        String[] forged = {
            jws(String.format(packetHeader, "HS256"), packet, hmacKeyedWith(spki)),
            jws(String.format(packetHeader, "none"), packet, data -> new byte[0]),
            // A valid ES256 signature by the station, but over a signed request: no cross-protocol reuse.
            jws("{\"alg\":\"ES256\",\"kid\":\"" + station.machineId + "\",\"typ\":\"station-request+jws\"}", packet,
                    StationClient.jcaSigner(station.machineKey())),
            // A genuine packet header naming another machine.
            jws("{\"alg\":\"ES256\",\"kid\":\"" + "0".repeat(32) + "\",\"typ\":\"capture-packet+jws\"}", packet,
                    StationClient.jcaSigner(station.machineKey())),
        };
        for (String p : forged) {
            HttpResponse<String> r = server.as(Role.AUDITOR, "POST", "/api/v1/packets/verify", "{\"packet\":\"" + p + "\"}");
            assertTrue(r.statusCode() == 422 || r.statusCode() == 400, p.substring(0, p.indexOf('.')) + " -> " + r.statusCode() + " " + r.body());
            assertTrue(TestServer.errorCode(r).equals("packet_invalid") || TestServer.errorCode(r).equals("invalid_field"), r.body());
        }
        String genuine = jws(String.format(packetHeader, "ES256"), packet, StationClient.jcaSigner(station.machineKey()));
        HttpResponse<String> ok = server.as(Role.AUDITOR, "POST", "/api/v1/packets/verify", "{\"packet\":\"" + genuine + "\"}");
        assertEquals(200, ok.statusCode(), ok.body());

        // A capture packet presented as a request signature is refused as well.
        assertEquals("signature_invalid", TestServer.errorCode(server.stations.sendRaw("GET", "/api/v1/stations/me", null,
                jws(String.format(packetHeader, "ES256"), requestPayload("GET", "/api/v1/stations/me"),
                        StationClient.jcaSigner(station.machineKey())))));
    }

    @Test
    void oversizedHeadersAreRefusedAndTheServerKeepsServing() throws Exception {
        String huge = "a".repeat(64 * 1024) + "." + "b".repeat(64 * 1024) + "." + "c".repeat(64);
        HttpResponse<String> r = server.stations.sendRaw("GET", "/api/v1/stations/me", null, huge);
        assertTrue(r.statusCode() == 431 || r.statusCode() == 413 || r.statusCode() == 400, "status " + r.statusCode());

        HttpRequest.Builder many = HttpRequest.newBuilder(URI.create(server.url("/api/v1/stations/me")));
        for (int i = 0; i < 400; i++) many.header("X-Filler-" + i, "x".repeat(100));
        HttpResponse<String> manyAnswer = server.http.send(many.build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(manyAnswer.statusCode() == 431 || manyAnswer.statusCode() == 413 || manyAnswer.statusCode() == 400,
                "status " + manyAnswer.statusCode());

        assertEquals(200, signed(server, station, "GET", "/api/v1/stations/me", null).statusCode());
    }

    @Test
    void protocolStepsOutOfOrderAreRefusedWithTheStateTheyNeed() {
        SoftwareEnrollee late = new SoftwareEnrollee("hostile-out-of-order");
        // Activation for a machine that never enrolled.
        HttpResponse<String> ghost = server.stations.sendRaw("POST", "/api/v1/enrollments/" + "ab".repeat(16) + "/activation",
                "{\"secret\":\"" + Base64.getEncoder().encodeToString(new byte[32]) + "\",\"quote\":" + late.quoteJson(
                        Base64.getEncoder().encodeToString(new byte[32])) + "}", null);
        assertEquals(404, ghost.statusCode(), ghost.body());

        HttpResponse<String> e = server.stations.sendRaw("POST", "/api/v1/enrollments", late.enrollmentBody(), null);
        assertEquals(201, e.statusCode(), e.body());
        JsonNode challenge = TestServer.json(e);
        late.machineId = challenge.path("machineId").asText();
        // Approval before activation, and signed calls before approval.
        assertEquals("enrollment_not_pending", TestServer.errorCode(server.as(Role.ADMIN, "POST",
                "/api/v1/admin/machines/" + late.machineId + "/approve", "{\"reason\":\"too early\"}")));
        assertEquals("machine_not_active", TestServer.errorCode(signed(server, late, "POST", "/api/v1/attestation/nonces", "{}")));

        assertEquals(200, server.stations.sendRaw("POST", "/api/v1/enrollments/" + late.machineId + "/activation",
                late.activationBody(challenge), null).statusCode());
        // The same activation again (a retried or replayed step) is refused, not applied twice.
        assertEquals("enrollment_not_pending", TestServer.errorCode(server.stations.sendRaw("POST",
                "/api/v1/enrollments/" + late.machineId + "/activation", late.activationBody(challenge), null)));
        assertEquals(200, server.as(Role.ADMIN, "POST", "/api/v1/admin/machines/" + late.machineId + "/approve",
                "{\"reason\":\"in order now\"}").statusCode());
        // A quote over a nonce the server never issued, and over one issued to another machine.
        assertEquals("nonce_invalid", TestServer.errorCode(signed(server, late, "POST", "/api/v1/attestation/quotes",
                late.quoteJson(Base64.getEncoder().encodeToString(new byte[32])).toString())));
        HttpResponse<String> theirs = signed(server, station, "POST", "/api/v1/attestation/nonces", "{\"purpose\":\"quote\"}");
        assertEquals(201, theirs.statusCode(), theirs.body());
        assertEquals("nonce_invalid", TestServer.errorCode(signed(server, late, "POST", "/api/v1/attestation/quotes",
                late.quoteJson(TestServer.json(theirs).path("nonce").asText()).toString())));
    }

    @Test
    void requestsDeliveredOutOfOrderWithinTheWindowAreEachAcceptedOnce() {
        long now = System.currentTimeMillis() / 1000;
        Function<byte[], byte[]> key = StationClient.jcaSigner(station.machineKey());
        String older = StationClient.header(station.machineId, StationClient.payload("GET", "/api/v1/stations/me", new byte[0], now - 20,
                StationClient.randomNonce()), key);
        String newer = StationClient.header(station.machineId, StationClient.payload("GET", "/api/v1/stations/me", new byte[0], now,
                StationClient.randomNonce()), key);
        assertEquals(200, server.stations.sendRaw("GET", "/api/v1/stations/me", null, newer).statusCode());
        assertEquals(200, server.stations.sendRaw("GET", "/api/v1/stations/me", null, older).statusCode(),
                "a request overtaken by a newer one is not a replay");
        assertEquals("request_replayed", TestServer.errorCode(server.stations.sendRaw("GET", "/api/v1/stations/me", null, older)));
        assertEquals("request_replayed", TestServer.errorCode(server.stations.sendRaw("GET", "/api/v1/stations/me", null, newer)));
    }
}
