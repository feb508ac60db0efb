package org.stationtrust.agent.internal.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.stationtrust.agent.AgentConfig;
import org.stationtrust.agent.internal.api.AgentOperations;
import org.stationtrust.agent.internal.api.ApiRefusal;
import org.stationtrust.agent.internal.api.ApiToken;
import org.stationtrust.agent.internal.api.AttestationAnswer;
import org.stationtrust.agent.internal.api.CaptureAnswer;
import org.stationtrust.agent.internal.api.CaptureOrder;
import org.stationtrust.agent.internal.api.DevicesAnswer;
import org.stationtrust.agent.internal.api.EnrollmentAnswer;
import org.stationtrust.agent.internal.api.KeyRotationAnswer;
import org.stationtrust.agent.internal.api.RefusalCode;
import org.stationtrust.agent.internal.api.StatusAnswer;
import org.stationtrust.agent.internal.api.LocalApi;

/**
 * One fuzz input becomes one raw HTTP/1.1 request to a real local API on 127.0.0.1 (Javalin, the agent's token,
 * its body limit): method, path and path parameters, Host, Authorization, Content-Type, extra headers and body
 * all come from the fuzzer. Behind the API sits {@link Operations}, which only records what reached it, so the
 * harness checks the edge alone: every answer arrives (no hang), none is a 5xx, every refusal by the agent is
 * the error body {@code {"error": {"code", "message"}}}, and nothing reaches an operation without the right token and a
 * loopback Host. Anything else throws {@link FuzzFinding}, which Jazzer reports with the input that caused it.
 */
final class LocalApiTarget {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] METHODS = {"GET", "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "HEAD"};
    private static final String[] PATHS = {"/v1/captures", "/v1/status", "/v1/devices", "/v1/enrollment", "/v1/attestations",
        "/v1/key-rotation", "/v1/devices/{id}/stream", "/v1/{id}", "/{id}"};
    private static final String[] ORDER_FIELDS = {"modality", "deviceSubId", "subtypes", "exceptions", "requestedScore", "timeoutMs",
        "consentReference", "registrationId", "operator", "deviceId", "token", "unknown"};
    private static final String[] GOOD_VALUES = {"Face", "Finger", "Iris", "c-1", "R-1", "op-1", "1-FACE.1", "Left IndexFinger"};
    private static final int MAX_BODY = 4096;

    private static LocalApiTarget instance;
    private final LocalApi api;
    private final ApiToken token;
    private final String tokenValue;
    private final Operations operations = new Operations();

    /** Counts of what the run saw, printed at the end of a fuzzing run. */
    static final AtomicInteger REQUESTS = new AtomicInteger();
    static final AtomicInteger REFUSED = new AtomicInteger();
    static final AtomicInteger REACHED = new AtomicInteger();

    private LocalApiTarget(Path stateDir) throws IOException {
        token = ApiToken.loadOrCreate(stateDir);
        tokenValue = token.reveal();
        api = LocalApi.start(new AgentConfig.Api(0, Optional.empty(), MAX_BODY), token, operations);
        quietLogs();
    }

    static synchronized LocalApiTarget get() throws IOException {
        if (instance == null) {
            Path dir = Files.createTempDirectory("local-api-fuzz");
            Path state = Files.createDirectory(dir.resolve("state"),
                    java.nio.file.attribute.PosixFilePermissions.asFileAttribute(java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
            instance = new LocalApiTarget(state);
        }
        return instance;
    }

    /** One refusal per request at INFO would flood the test output with fuzzer bytes; warnings and errors stay. */
    private static void quietLogs() {
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(LocalApi.class)).setLevel(ch.qos.logback.classic.Level.WARN);
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("io.javalin")).setLevel(ch.qos.logback.classic.Level.WARN);
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("org.eclipse.jetty")).setLevel(ch.qos.logback.classic.Level.ERROR);
    }

    void exercise(FuzzedDataProvider data) throws IOException {
        // The harness itself connects to the API; Jazzer's SSRF detector stays armed for every other connection.
        // (Set per input: Jazzer resets the allowance between the regression and the fuzzing run.)
        int port = api.port();
        com.code_intelligence.jazzer.api.BugDetectors.allowNetworkConnections(
                (host, p) -> p == port && ("127.0.0.1".equals(host) || "localhost".equals(host)));
        int reachedBefore = operations.reached.get();
        String method = data.consumeBoolean() ? data.pickValue(METHODS) : token(data.consumeString(8), "GET");
        String path = data.pickValue(PATHS).replace("{id}", pathParameter(data));
        if (data.consumeBoolean()) path += "?deviceSubId=" + percentEncode(data.consumeString(12));
        boolean loopbackHost;
        String host;
        switch (data.consumeInt(0, 4)) {
            case 0 -> { host = "127.0.0.1:" + api.port(); loopbackHost = true; }
            case 1 -> { host = "localhost"; loopbackHost = true; }
            case 2 -> { host = "[::1]:" + api.port(); loopbackHost = true; }
            case 3 -> { host = null; loopbackHost = false; }
            default -> {
                // The fuzzer finds loopback names too ("[::1]" came up in CI): judge the value, not the branch.
                host = headerValue(data.consumeString(64));
                loopbackHost = namesLoopback(host);
            }
        }
        boolean rightToken;
        String auth;
        switch (data.consumeInt(0, 4)) {
            case 0 -> { auth = "Bearer " + tokenValue; rightToken = true; }
            case 1 -> { auth = null; rightToken = false; }
            case 2 -> { auth = "Bearer " + headerValue(data.consumeString(64)); rightToken = false; }
            case 3 -> { auth = "Bearer " + tokenValue.substring(0, data.consumeInt(0, tokenValue.length() - 1)); rightToken = false; }
            default -> {
                auth = headerValue(data.consumeString(96));
                rightToken = auth.equals("Bearer " + tokenValue);
            }
        }
        String contentType = switch (data.consumeInt(0, 2)) {
            case 0 -> "application/json";
            case 1 -> null;
            default -> headerValue(data.consumeString(40));
        };
        StringBuilder head = new StringBuilder();
        head.append(method).append(' ').append(path).append(" HTTP/1.1\r\n");
        if (host != null) head.append("Host: ").append(host).append("\r\n");
        if (auth != null) head.append("Authorization: ").append(auth).append("\r\n");
        if (contentType != null) head.append("Content-Type: ").append(contentType).append("\r\n");
        int extra = data.consumeInt(0, 3);
        for (int i = 0; i < extra; i++) {
            head.append(token(data.consumeString(20), "X-Fuzz")).append(": ").append(headerValue(data.consumeString(100))).append("\r\n");
        }
        byte[] body = data.consumeBoolean() ? captureOrder(data) : data.consumeBytes(MAX_BODY + 512);
        head.append("Content-Length: ").append(body.length).append("\r\nConnection: close\r\n\r\n");

        Answer answer = send(head.toString().getBytes(StandardCharsets.ISO_8859_1), body);
        if (REQUESTS.incrementAndGet() % 1000 == 0) {
            // libFuzzer's own statistics go to the native stderr, which surefire does not keep: count here.
            System.out.println("local API fuzz: " + REQUESTS.get() + " requests, " + REFUSED.get() + " refused, "
                    + REACHED.get() + " reached an operation");
        }
        boolean reached = operations.reached.get() != reachedBefore;
        if (reached) REACHED.incrementAndGet();
        if (answer.status() >= 500) {
            throw new FuzzFinding("the local API answered " + answer.status() + " to " + method + " " + path + ": " + answer.text());
        }
        if (reached && !(rightToken && loopbackHost)) {
            throw new FuzzFinding("an operation was reached without the right token and a loopback Host: " + method + " " + path);
        }
        if (answer.status() >= 400) {
            REFUSED.incrementAndGet();
            if (method.equals("HEAD")) return; // a HEAD answer has no body to judge
            JsonNode refusal = answer.json();
            // Requests the HTTP server cannot parse (bad header bytes, a too long line) are refused by Jetty before
            // the agent sees them; everything the agent refuses is the product's error body {error: {code, message}}.
            boolean jettyRefusal = refusal == null && (answer.status() == 400 || answer.status() == 431 || answer.status() == 414);
            if (!jettyRefusal && (refusal == null || !refusal.path("error").path("code").isTextual()
                    || refusal.path("error").path("message").asText().isBlank())) {
                throw new FuzzFinding("a refusal without {error: {code, message}}: " + answer.status() + " " + answer.text());
            }
        }
    }

    /**
     * The documented rule (README, "Local API"), written out again here as the oracle: the Host names 127.0.0.1,
     * localhost or [::1], with or without a port.
     */
    static boolean namesLoopback(String host) {
        String name = host.matches(".*:[0-9]{1,5}") ? host.substring(0, host.lastIndexOf(':')) : host;
        return List.of("127.0.0.1", "localhost", "[::1]").contains(name);
    }

    /** A JSON capture order built from the known fields with fuzzed values, so the fuzzer gets past the JSON parser. */
    private static byte[] captureOrder(FuzzedDataProvider data) {
        ObjectNode order = JSON.createObjectNode();
        int fields = data.consumeInt(0, ORDER_FIELDS.length);
        for (int i = 0; i < fields; i++) {
            String name = data.pickValue(ORDER_FIELDS);
            switch (data.consumeInt(0, 6)) {
                case 0 -> order.put(name, data.pickValue(GOOD_VALUES));
                case 1 -> order.put(name, data.consumeString(200));
                case 2 -> order.put(name, data.consumeLong());
                case 3 -> order.put(name, data.consumeInt(-2, 101));
                case 4 -> order.putNull(name);
                case 5 -> {
                    ArrayNode items = order.putArray(name);
                    int n = data.consumeInt(0, 12);
                    for (int k = 0; k < n; k++) items.add(data.consumeBoolean() ? data.pickValue(GOOD_VALUES) : data.consumeString(40));
                }
                default -> order.put(name, data.consumeDouble());
            }
        }
        try {
            return JSON.writeValueAsBytes(order);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Fuzzed bytes as a path segment: usually percent-encoded (a well-formed request), sometimes as they are. */
    private static String pathParameter(FuzzedDataProvider data) {
        String raw = data.consumeString(80);
        return data.consumeBoolean() ? percentEncode(raw) : raw.replaceAll("[\\s?#]", "_");
    }

    private static String percentEncode(String raw) {
        StringBuilder out = new StringBuilder();
        for (byte b : raw.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_') out.append(c);
            else out.append('%').append(String.format("%02X", b & 0xff));
        }
        return out.toString();
    }

    /** A header value on one line (CR and LF would start another header: that is request smuggling, not this test). */
    private static String headerValue(String raw) {
        return raw.replace('\r', ' ').replace('\n', ' ');
    }

    /** An HTTP token (method, header name): visible ASCII without separators, or the fallback when nothing is left. */
    private static String token(String raw, String fallback) {
        String t = raw.replaceAll("[^A-Za-z0-9!#$%&'*+.^_`|~-]", "");
        return t.isEmpty() ? fallback : t;
    }

    private Answer send(byte[] head, byte[] body) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), api.port())) {
            // A generous bound on a loaded machine: an answer that takes longer is a hang, and a finding.
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(head);
            try {
                out.write(body);
                out.flush();
            } catch (IOException refusedEarly) {
                // The server may answer (413) and close before reading the whole body; read its answer below.
            }
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream response = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            try {
                for (int n; (n = in.read(buffer)) > 0; ) {
                    response.write(buffer, 0, n);
                    if (response.size() > 1_000_000) throw new FuzzFinding("an answer larger than 1 MB");
                }
            } catch (java.net.SocketTimeoutException e) {
                throw new FuzzFinding("no complete answer within 30 s (hang)");
            } catch (java.net.SocketException reset) {
                // A reset after the answer was written (body not read): judged by what arrived.
            }
            return Answer.parse(response.toByteArray());
        }
    }

    record Answer(int status, String text) {
        static Answer parse(byte[] raw) {
            String text = new String(raw, StandardCharsets.ISO_8859_1);
            if (!text.startsWith("HTTP/1.1 ")) throw new FuzzFinding("not an HTTP answer: '" + text.substring(0, Math.min(80, text.length())) + "'");
            return new Answer(Integer.parseInt(text.substring(9, 12)), text);
        }

        JsonNode json() {
            int start = text.indexOf("\r\n\r\n");
            if (start < 0 || !text.toLowerCase(java.util.Locale.ROOT).contains("content-type: application/json")) return null;
            try {
                return JSON.readTree(text.substring(start + 4).getBytes(StandardCharsets.ISO_8859_1));
            } catch (IOException e) {
                return null;
            }
        }
    }

    /** What the agent would do, reduced to recording that a request got this far. */
    private static final class Operations implements AgentOperations {
        final AtomicInteger reached = new AtomicInteger();

        private void reached() {
            reached.incrementAndGet();
        }

        @Override
        public StatusAnswer status() {
            reached();
            return new StatusAnswer("development", "fuzz", null, "NOT_ENROLLED", null, null, null, null, null, "absent", 0,
                    null, false, new StatusAnswer.QueueCounts(0, 0, 0, 0, 0));
        }

        @Override
        public DevicesAnswer devices() {
            reached();
            return new DevicesAnswer(List.of());
        }

        @Override
        public CaptureAnswer capture(CaptureOrder order, org.stationtrust.agent.internal.api.CaptureSteps steps) {
            if (order.consentReference().isBlank() || order.registrationId().isBlank()) {
                throw new FuzzFinding("a capture order without consent reference or registration passed the parser");
            }
            reached();
            return new CaptureAnswer("p", "t", "d", "", "", List.of(), "");
        }

        @Override
        public void orderRefused(String code) {
            if (code == null || code.isBlank()) throw new FuzzFinding("an order refused without a code");
        }

        @Override
        public void stream(String deviceId, int deviceSubId, OutputStream out, String boundary) throws ApiRefusal {
            reached();
            if (deviceSubId < 0 || deviceSubId > 3) throw new FuzzFinding("deviceSubId " + deviceSubId + " passed the parser");
            throw new ApiRefusal(RefusalCode.DEVICE_NOT_FOUND, "no device with this id");
        }

        @Override
        public EnrollmentAnswer enroll(Optional<String> token) {
            reached();
            return new EnrollmentAnswer(null, "NOT_ENROLLED");
        }

        @Override
        public AttestationAnswer attestNow() {
            reached();
            return AttestationAnswer.requested();
        }

        @Override
        public KeyRotationAnswer rotateKey() {
            reached();
            return new KeyRotationAnswer("k", "n");
        }

        @Override
        public String metrics() {
            reached();
            return "";
        }
    }
}
