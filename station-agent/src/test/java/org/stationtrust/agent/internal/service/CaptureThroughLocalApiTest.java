package org.stationtrust.agent.internal.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stationtrust.agent.testing.AgentClient;
import org.stationtrust.agent.testing.StationFixture;
import org.stationtrust.sbi.simulator.DeviceKind;
import org.stationtrust.sbi.simulator.FaultMode;

/** The capture path with real parts: swtpm, the SBI simulator's three devices, the agent's local API over HTTP. */
class CaptureThroughLocalApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir static Path dir;
    private static StationFixture station;
    private static RunningAgent agent;
    private static AgentClient client;

    @BeforeAll
    static void start() throws Exception {
        station = new StationFixture(dir);
        agent = station.startAgent("station-1");
        client = new AgentClient(agent.apiPort(), agent.apiToken().reveal());
    }

    @AfterAll
    static void stop() {
        if (agent != null) agent.close();
        if (station != null) station.close();
    }

    private static String order(String modality, int subId, String exceptions, String registration) {
        return "{\"modality\":\"" + modality + "\",\"deviceSubId\":" + subId + ",\"exceptions\":" + exceptions
                + ",\"requestedScore\":40,\"timeoutMs\":10000,\"consentReference\":\"consent-42\",\"registrationId\":\""
                + registration + "\",\"operator\":\"op-7\"}";
    }

    static JsonNode verifyPacket(String jws, PublicKey machineKey) throws Exception {
        String[] parts = jws.split("\\.");
        assertEquals(3, parts.length);
        JsonNode header = JSON.readTree(Base64.getUrlDecoder().decode(parts[0]));
        assertEquals("ES256", header.path("alg").asText());
        assertEquals("capture-packet+jws", header.path("typ").asText());
        Signature verifier = Signature.getInstance("SHA256withECDSAinP1363Format");
        verifier.initVerify(machineKey);
        verifier.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        assertTrue(verifier.verify(Base64.getUrlDecoder().decode(parts[2])), "packet signature verifies with the machine public key");
        return JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
    }

    @Test
    void capturesAVerifiedSlapAndSignsThePacketOnceWithTheTpmKey() throws Exception {
        JsonNode before = client.get("/v1/status").body().path("packetPath");
        AgentClient.Answer answer = client.post("/v1/captures", order("Finger", 1, "[\"Left LittleFinger\"]", "R-100"));
        assertEquals(200, answer.status(), answer.body().toString());
        JsonNode after = client.get("/v1/status").body().path("packetPath");
        assertEquals(before.path("packets").asLong() + 1, after.path("packets").asLong());
        assertEquals(before.path("tpmOperations").asLong() + 1, after.path("tpmOperations").asLong(),
                "exactly one TPM call (the signature) per packet");
        assertEquals(3, answer.body().path("biometrics").size(), "a left slap minus one exception");
        JsonNode packet = verifyPacket(answer.body().path("packet").asText(), agent.identity().signer().orElseThrow().publicKey());
        assertEquals("consent-42", packet.path("consentReference").asText());
        assertEquals("R-100", packet.path("registrationId").asText());
        assertEquals(3, packet.path("biometrics").size());
        String audit = Files.readString(agent.stateDirectory().resolve("audit.jsonl"));
        assertTrue(audit.contains("\"capture.completed\"") && audit.contains("consent-42"), "the consent is in the audit log");
        assertTrue(!audit.contains(answer.body().path("biometrics").get(0).path("bioValue").asText()), "no biometric in the audit log");
    }

    @Test
    void chainsTheHashesAcrossTheCapturesOfOneRegistration() throws Exception {
        AgentClient.Answer first = client.post("/v1/captures", order("Iris", 3, "[]", "R-200"));
        assertEquals(200, first.status(), first.body().toString());
        AgentClient.Answer second = client.post("/v1/captures", order("Face", 0, "[]", "R-200"));
        assertEquals(200, second.status(), second.body().toString());
        assertEquals(first.body().path("lastHash").asText(), second.body().path("previousHash").asText());
    }

    @Test
    void reportsADeviceFaultAsItsReasonNotAsAServerError() throws Exception {
        station.devices().device(DeviceKind.FACE).setFault(FaultMode.BAD_SIGNATURE);
        try {
            AgentClient.Answer answer = client.post("/v1/captures", order("Face", 0, "[]", "R-300"));
            assertEquals(502, answer.status(), answer.body().toString());
            assertEquals("SIGNATURE_INVALID", answer.body().path("error").path("code").asText());
            assertTrue(answer.body().path("error").path("message").asText().contains("signature"), answer.body().toString());
        } finally {
            station.devices().device(DeviceKind.FACE).reset();
        }
    }

    @Test
    void listsTheTrustedDevices() throws Exception {
        AgentClient.Answer answer = client.get("/v1/devices");
        assertEquals(200, answer.status());
        assertEquals(3, answer.body().path("devices").size(), answer.body().toString());
        for (JsonNode d : answer.body().path("devices")) assertTrue(d.path("trusted").asBoolean(), d.toString());
    }

    @Test
    void proxiesThePreviewStreamAsJpegParts() throws Exception {
        String id = null;
        for (JsonNode d : client.get("/v1/devices").body().path("devices")) {
            if (d.path("type").asText().equals("Face")) id = d.path("id").asText();
        }
        HttpResponse<InputStream> response = client.stream("/v1/devices/" + id + "/stream?deviceSubId=0");
        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("multipart/x-mixed-replace"));
        try (InputStream in = response.body()) {
            byte[] head = in.readNBytes(4096);
            String text = new String(head, StandardCharsets.ISO_8859_1);
            assertTrue(text.contains("Content-Type: image/jpeg"), "first part is a JPEG frame");
            int start = text.indexOf("\r\n\r\n") + 4;
            assertEquals((byte) 0xFF, head[start]);
            assertEquals((byte) 0xD8, head[start + 1], "JPEG SOI marker");
        }
    }

    @Test
    void logsNeitherBiometricsNorPacketsNorTheApiToken() throws Exception {
        ch.qos.logback.classic.LoggerContext context = (ch.qos.logback.classic.LoggerContext) org.slf4j.LoggerFactory.getILoggerFactory();
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> raw = new ch.qos.logback.core.read.ListAppender<>();
        raw.setContext(context);
        raw.start();
        ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(raw);
        AgentClient.Answer answer;
        try {
            answer = client.post("/v1/captures", order("Finger", 2, "[]", "R-400"));
            client.post("/v1/captures", "{\"modality\":\"Face\",\"registrationId\":\"R-401\"}");
            new AgentClient(agent.apiPort(), "wrong-" + agent.apiToken().reveal()).get("/v1/status");
        } finally {
            root.detachAppender(raw);
        }
        assertEquals(200, answer.status(), answer.body().toString());
        // What the code handed to the logger, before the encoder's redaction: message, key-value pairs, exception.
        String logged = String.join("\n", raw.list.stream().map(e -> e.getFormattedMessage()
                + (e.getKeyValuePairs() == null ? "" : e.getKeyValuePairs().toString())
                + (e.getThrowableProxy() == null ? "" : e.getThrowableProxy().getMessage())).toList());
        assertTrue(raw.list.size() >= 3, "the capture and the refusals were logged: " + logged);
        for (JsonNode b : answer.body().path("biometrics")) {
            assertTrue(!logged.contains(b.path("bioValue").asText().substring(0, 40)), "a bioValue reached the log");
        }
        String packet = answer.body().path("packet").asText();
        assertTrue(!logged.contains(packet.substring(packet.lastIndexOf('.') + 1)), "the packet signature reached the log");
        assertTrue(!logged.contains(agent.apiToken().reveal()), "the API token reached the log");
    }

    @Test
    void refusesACaptureWithoutConsent() throws Exception {
        AgentClient.Answer answer = client.post("/v1/captures", "{\"modality\":\"Face\",\"registrationId\":\"R-9\"}");
        assertEquals(400, answer.status());
        assertEquals("consent_required", answer.body().path("error").path("code").asText());
        String audit = Files.readString(agent.stateDirectory().resolve("audit.jsonl"));
        assertTrue(audit.contains("\"capture.refused\"") && audit.contains("consent_required"), "the refusal is audited");
    }
}
