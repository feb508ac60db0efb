package org.stationtrust.agent.internal.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stationtrust.agent.AgentConfig;
import org.stationtrust.sbi.client.RejectionReason;

class LocalApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir Path dir;
    private LocalApi api;
    private ApiToken token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private CaptureOrder lastOrder;
    private final java.util.List<String> refusedOrders = new java.util.ArrayList<>();
    private final java.util.List<Optional<String>> enrollTokens = new java.util.ArrayList<>();

    /** Records what the API passes inward; the capture path against real devices is proven in CaptureThroughLocalApiTest. */
    private final AgentOperations operations = new AgentOperations() {
        @Override
        public StatusAnswer status() {
            return new StatusAnswer("development", "station-1", null, "NOT_ENROLLED", null, null, null, null, null, "absent", 0,
                    null, false, new StatusAnswer.QueueCounts(0, 0, 0, 0, 0));
        }

        @Override
        public DevicesAnswer devices() throws ApiRefusal {
            throw ApiRefusal.device(RejectionReason.DEVICE_UNREACHABLE, "nothing accepted the connection: start the device service");
        }

        @Override
        public CaptureAnswer capture(CaptureOrder order, CaptureSteps steps) {
            lastOrder = order;
            return new CaptureAnswer("p-1", "t-1", "4501-1", "0".repeat(64), "1".repeat(64), List.of(), "a.b.c");
        }

        @Override
        public void orderRefused(String code) {
            refusedOrders.add(code);
        }

        @Override
        public void stream(String deviceId, int deviceSubId, OutputStream out, String boundary) {
        }

        @Override
        public EnrollmentAnswer enroll(Optional<String> enrollmentToken) throws ApiRefusal {
            enrollTokens.add(enrollmentToken);
            throw new ApiRefusal(RefusalCode.NO_SERVER, "no server.url is configured");
        }

        @Override
        public KeyRotationAnswer rotateKey() throws ApiRefusal {
            throw new ApiRefusal(RefusalCode.NO_SERVER, "no server.url is configured");
        }

        @Override
        public AttestationAnswer attestNow() {
            return AttestationAnswer.requested();
        }

        @Override
        public String metrics() {
            return "# TYPE fake_total counter\nfake_total 1.0\n";
        }
    };

    @BeforeEach
    void start() throws Exception {
        token = ApiToken.loadOrCreate(dir);
        api = LocalApi.start(new AgentConfig.Api(0, Optional.empty(), 4096), token, operations);
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private HttpResponse<String> get(String path, String bearer) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path)).GET();
        if (bearer != null) b.header("Authorization", "Bearer " + bearer);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + "/v1/captures"))
                .header("Authorization", "Bearer " + token.reveal()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String error(HttpResponse<String> response) throws IOException {
        JsonNode error = JSON.readTree(response.body()).path("error");
        assertTrue(error.path("message").isTextual() && !error.path("message").asText().isBlank(), "a message: " + response.body());
        return error.path("code").asText();
    }

    @Test
    void keepsTheTokenInAFileOnlyItsOwnerCanRead() throws Exception {
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(ApiToken.FILE_NAME))));
        assertEquals(token.reveal(), ApiToken.loadOrCreate(dir).reveal(), "the token survives a restart");
    }

    @Test
    void refusesARequestWithoutAToken() throws Exception {
        HttpResponse<String> response = get("/v1/status", null);
        assertEquals(401, response.statusCode());
        assertEquals("missing_token", error(response));
    }

    @Test
    void refusesAWrongToken() throws Exception {
        HttpResponse<String> response = get("/v1/status", token.reveal() + "x");
        assertEquals(401, response.statusCode());
        assertEquals("wrong_token", error(response));
    }

    @Test
    void answersWithTheRightToken() throws Exception {
        HttpResponse<String> response = get("/v1/status", token.reveal());
        assertEquals(200, response.statusCode());
        assertEquals("development", JSON.readTree(response.body()).path("mode").asText());
    }

    @Test
    void refusesAHostHeaderThatIsNotLoopback() throws Exception {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), api.port())) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET /v1/status HTTP/1.1\r\nHost: attacker.example:80\r\nAuthorization: Bearer " + token.reveal()
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(answer.startsWith("HTTP/1.1 403"), answer);
            assertTrue(answer.contains("bad_host"), answer);
        }
    }

    @Test
    void isNotReachableOnANonLoopbackAddress() throws Exception {
        Optional<InetAddress> external = Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
                .flatMap(i -> Collections.list(i.getInetAddresses()).stream())
                .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress()).findFirst();
        Assumptions.assumeTrue(external.isPresent(), "this machine has no non-loopback IPv4 address to try");
        try (Socket socket = new Socket()) {
            assertThrows(IOException.class, () -> socket.connect(new InetSocketAddress(external.get(), api.port()), 2000));
        }
    }

    @Test
    void refusesOversizedMalformedAndConsentlessCaptureRequests() throws Exception {
        HttpResponse<String> big = post("{\"modality\":\"Finger\",\"operator\":\"" + "a".repeat(5000) + "\"}");
        assertEquals(413, big.statusCode());
        assertEquals("body_too_large", error(big));
        HttpResponse<String> malformed = post("{\"modality\":");
        assertEquals(400, malformed.statusCode());
        assertEquals("malformed_json", error(malformed));
        HttpResponse<String> noConsent = post("{\"modality\":\"Finger\",\"registrationId\":\"R-1\"}");
        assertEquals(400, noConsent.statusCode());
        assertEquals("consent_required", error(noConsent));
        HttpResponse<String> unknown = post("{\"modality\":\"Finger\",\"consentReference\":\"C-1\",\"registrationId\":\"R-1\",\"x\":1}");
        assertEquals(400, unknown.statusCode());
        assertEquals("invalid_field", error(unknown));
        assertTrue(JSON.readTree(unknown.body()).path("error").path("message").asText().contains("Unknown field 'x'"), unknown.body());
        assertEquals(null, lastOrder, "nothing refused reached the agent");
        assertEquals(List.of("body_too_large", "malformed_json", "consent_required", "invalid_field"), refusedOrders,
                "each refused order is reported for the audit log");
    }

    @Test
    void refusesDuplicateKeysTrailingDataAndWrongTypesWithTheSharedReader() throws Exception {
        String valid = "\"modality\":\"Finger\",\"consentReference\":\"C-1\",\"registrationId\":\"R-1\"";
        HttpResponse<String> duplicate = post("{" + valid + ",\"registrationId\":\"R-2\"}");
        assertEquals(400, duplicate.statusCode());
        assertEquals("malformed_json", error(duplicate));
        assertTrue(duplicate.body().contains("registrationId"), "the message names the repeated key: " + duplicate.body());
        HttpResponse<String> trailing = post("{" + valid + "} {}");
        assertEquals(400, trailing.statusCode());
        assertEquals("malformed_json", error(trailing));
        HttpResponse<String> wrongType = post("{" + valid + ",\"deviceSubId\":\"1\"}");
        assertEquals(400, wrongType.statusCode());
        assertEquals("invalid_field", error(wrongType));
        assertTrue(wrongType.body().contains("deviceSubId") && !wrongType.body().contains("java."), wrongType.body());
        HttpResponse<String> fraction = post("{" + valid + ",\"requestedScore\":40.5}");
        assertEquals(400, fraction.statusCode(), fraction.body());
        assertEquals("invalid_field", error(fraction));
        HttpResponse<String> lowerCase = post("{\"modality\":\"finger\",\"consentReference\":\"C-1\",\"registrationId\":\"R-1\"}");
        assertEquals(400, lowerCase.statusCode());
        assertEquals("invalid_field", error(lowerCase));
        assertEquals(null, lastOrder, "nothing refused reached the agent");
    }

    @Test
    void answersEveryRefusalInTheServersErrorBody() throws Exception {
        HttpResponse<String> notJson = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + "/v1/captures"))
                .header("Authorization", "Bearer " + token.reveal()).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(415, notJson.statusCode());
        JsonNode body = JSON.readTree(notJson.body());
        assertEquals("unsupported_media_type", body.path("error").path("code").asText());
        assertTrue(body.path("requestId").isTextual(), notJson.body());
        assertEquals(java.util.Set.of("error", "requestId"), fieldNames(body));
        assertEquals(java.util.Set.of("code", "message"), fieldNames(body.path("error")));
    }

    @Test
    void refusesAnOversizedEnrollmentTokenBeforeItReachesTheAgent() throws Exception {
        HttpResponse<String> tooLong = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + "/v1/enrollment"))
                .header("Authorization", "Bearer " + token.reveal()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"token\":\"" + "t".repeat(201) + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(400, tooLong.statusCode());
        assertEquals("invalid_field", error(tooLong));
        assertTrue(tooLong.body().contains("at most 200"), tooLong.body());
        assertEquals(List.of(), enrollTokens, "the refused token never reached the agent");
    }

    private static java.util.Set<String> fieldNames(JsonNode node) {
        java.util.Set<String> names = new java.util.HashSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void passesAValidCaptureOrderInward() throws Exception {
        HttpResponse<String> ok = post("{\"modality\":\"Finger\",\"deviceSubId\":1,\"exceptions\":[\"Left Thumb\"],"
                + "\"requestedScore\":60,\"timeoutMs\":5000,\"consentReference\":\"C-1\",\"registrationId\":\"R-1\"}");
        assertEquals(200, ok.statusCode(), ok.body());
        assertEquals(List.of("Left Thumb"), lastOrder.exceptions());
        assertEquals(60, lastOrder.requestedScore());
        assertEquals(Duration.ofSeconds(5), lastOrder.timeout());
    }

    @Test
    void returnsDeviceFailuresAsReasonsNotServerErrors() throws Exception {
        HttpResponse<String> response = get("/v1/devices", token.reveal());
        assertEquals(503, response.statusCode());
        JsonNode body = JSON.readTree(response.body());
        assertEquals("DEVICE_UNREACHABLE", body.path("error").path("code").asText());
        assertTrue(body.path("error").path("message").asText().contains("start the device service"));
    }

    @Test
    void answersAnUnknownRouteWithAJsonReason() throws Exception {
        HttpResponse<String> response = get("/v1/nothing-here", token.reveal());
        assertEquals(404, response.statusCode());
        assertEquals("not_found", error(response));
        HttpResponse<String> unauthenticated = get("/v1/nothing-here", null);
        assertEquals(401, unauthenticated.statusCode(), "routes are not revealed without the token");
    }

    @Test
    void sendsNoCorsHeadersUnlessAnOriginIsConfigured() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + "/v1/status"))
                .header("Authorization", "Bearer " + token.reveal()).header("Origin", "http://evil.example").GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertTrue(response.headers().firstValue("Access-Control-Allow-Origin").isEmpty());

        try (LocalApi withCors = LocalApi.start(new AgentConfig.Api(0, Optional.of("http://127.0.0.1:3000"), 4096), token, operations)) {
            HttpResponse<String> allowed = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + withCors.port() + "/v1/status"))
                    .header("Authorization", "Bearer " + token.reveal()).header("Origin", "http://127.0.0.1:3000").GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals("http://127.0.0.1:3000", allowed.headers().firstValue("Access-Control-Allow-Origin").orElse(""));
            HttpResponse<String> other = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + withCors.port() + "/v1/status"))
                    .header("Authorization", "Bearer " + token.reveal()).header("Origin", "http://evil.example").GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertNotEquals("http://evil.example", other.headers().firstValue("Access-Control-Allow-Origin").orElse(""));
        }
    }
}
