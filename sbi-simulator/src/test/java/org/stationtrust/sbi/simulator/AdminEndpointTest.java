package org.stationtrust.sbi.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.stationtrust.sbi.simulator.TestDevices.EMPTY_SHA256_HEX;
import static org.stationtrust.sbi.simulator.TestDevices.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The admin endpoint drives what otherwise needs an operator, over plain HTTP. */
class AdminEndpointTest {
    private static SimulatedDevice slap;

    @BeforeAll
    static void start() {
        slap = TestDevices.start(DeviceKind.FINGER_SLAP);
    }

    @AfterAll
    static void stop() {
        slap.close();
    }

    @AfterEach
    void reset() throws Exception {
        admin(slap, "reset", "{}");
    }

    private static HttpResponse<String> raw(String method, String route, String body) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(slap.callbackUrl().resolve("/admin/" + route))
                .timeout(Duration.ofSeconds(5))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build();
        return TestDevices.HTTP.send(req, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void refusesRequestsThatABrowserPageSentAndKeepsTheState() throws Exception {
        HttpRequest req = HttpRequest.newBuilder(slap.callbackUrl().resolve("/admin/fault"))
                .timeout(Duration.ofSeconds(5)).header("Origin", "http://rebound.example:" + slap.port())
                .POST(HttpRequest.BodyPublishers.ofString("{\"fault\":\"ALG_NONE\"}")).build();
        HttpResponse<String> r = TestDevices.HTTP.send(req, HttpResponse.BodyHandlers.ofString());
        assertEquals(403, r.statusCode(), r.body());
        assertTrue(r.body().contains("refuses browser requests"), r.body());
        assertEquals("NONE", admin(slap, "state", null).get("fault").asText());
    }

    @Test
    void stateReportsTheDevice() throws Exception {
        JsonNode s = admin(slap, "state", null);
        assertEquals("FINGER_SLAP", s.get("kind").asText());
        assertEquals(slap.port(), s.get("port").asInt());
        assertEquals(slap.serialNumber(), s.get("serialNo").asText());
        assertEquals("Ready", s.get("status").asText());
        assertEquals("NONE", s.get("fault").asText());
    }

    @Test
    void statusSwitchesByWireNameOrEnumName() throws Exception {
        assertEquals("Not Ready", admin(slap, "status", "{\"status\":\"Not Ready\"}").get("status").asText());
        assertEquals("Not Ready", TestDevices.discover(slap, "Finger").get(0).get("deviceStatus").asText());
        assertEquals("Not Registered", admin(slap, "status", "{\"status\":\"NOT_REGISTERED\"}").get("status").asText());
        assertEquals(DeviceStatus.NOT_REGISTERED, slap.status());
    }

    @Test
    void faultAndQualitySwitchTheNextCapture() throws Exception {
        admin(slap, "fault", "{\"fault\":\"wrong-count\"}");
        admin(slap, "quality", "{\"quality\":55}");
        JsonNode b = TestDevices.capture(slap, TestDevices.rcapture(DeviceKind.FINGER_SLAP, 1, 4, List.of(), EMPTY_SHA256_HEX))
                .get("biometrics");
        assertEquals(3, b.size());
        assertEquals("55", TestDevices.Jws.parse(b.get(0).get("data").asText()).payloadJson().get("qualityScore").asText());
    }

    @Test
    void biometricPresentedFalseMakesCapturesEndWith101() throws Exception {
        assertFalse(admin(slap, "biometric-presented", "{\"presented\":false}").get("biometricPresented").asBoolean());
        ObjectNode req = TestDevices.rcapture(DeviceKind.FINGER_SLAP, 3, 2, List.of(), EMPTY_SHA256_HEX);
        req.put("timeout", "300");
        assertEquals("101", TestDevices.errorCode(TestDevices.capture(slap, req).get("biometrics").get(0)));
    }

    @Test
    void rotateKeyChangesTheCertificateTheDeviceSignsWith() throws Exception {
        String before = admin(slap, "state", null).get("deviceCertificateSha256").asText();
        JsonNode after = admin(slap, "rotate-key", "{}");
        assertNotEquals(before, after.get("deviceCertificateSha256").asText());
        TestDevices.Jws info = TestDevices.Jws.parse(TestDevices.info(slap).get(0).get("deviceInfo").asText());
        assertEquals(after.get("deviceCertificateSerial").asText(), info.x5c().getSerialNumber().toString(16));
        assertTrue(TestDevices.chainsTo(info.x5c(), TestDevices.CA.certificate()));
    }

    @Test
    void caPemIsTheProviderCaCertificate() throws Exception {
        HttpResponse<String> r = raw("GET", "ca.pem", null);
        assertEquals(200, r.statusCode());
        assertEquals(TestDevices.CA.certificatePem(), r.body());
    }

    @Test
    void encryptionCertificateEnablesAuthenticationCapture() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        java.security.cert.X509Certificate cert = TestDevices.CA.issueDeviceCertificate(g.generateKeyPair().getPublic(),
                "server", Instant.now().minusSeconds(5), Instant.now().plusSeconds(3600));
        String pem = "-----BEGIN CERTIFICATE-----\n"
                + java.util.Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(cert.getEncoded())
                + "\n-----END CERTIFICATE-----\n";
        ObjectNode body = TestDevices.JSON.createObjectNode().put("pem", pem);
        assertTrue(admin(slap, "encryption-certificate", body.toString()).get("encryptionCertificateConfigured").asBoolean());
        ObjectNode req = TestDevices.rcapture(DeviceKind.FINGER_SLAP, 1, 1, List.of(), EMPTY_SHA256_HEX);
        req.put("purpose", "Auth");
        JsonNode e = TestDevices.call(slap, "CAPTURE", "/capture", req).get("biometrics").get(0);
        assertEquals("0", TestDevices.errorCode(e));
        assertTrue(e.hasNonNull("sessionKey") && e.hasNonNull("thumbprint"));
    }

    @Test
    void anEcEncryptionCertificateIsRefusedBecauseSbiWrapsTheSessionKeyWithRsaOaep() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(256);
        java.security.cert.X509Certificate ec = TestDevices.CA.issueDeviceCertificate(g.generateKeyPair().getPublic(),
                "ec server", Instant.now().minusSeconds(5), Instant.now().plusSeconds(3600));
        String pem = "-----BEGIN CERTIFICATE-----\n"
                + java.util.Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(ec.getEncoded())
                + "\n-----END CERTIFICATE-----\n";
        JsonNode before = admin(slap, "state", null);
        HttpResponse<String> r = raw("POST", "encryption-certificate", TestDevices.JSON.createObjectNode().put("pem", pem).toString());
        assertEquals(400, r.statusCode());
        assertTrue(r.body().contains("RSA"), r.body());
        assertEquals(before, admin(slap, "state", null), "state unchanged");
    }

    @Test
    void badValuesAreRefusedWith400AndTheStateIsUnchanged() throws Exception {
        HttpResponse<String> r = raw("POST", "fault", "{\"fault\":\"SOMETIMES\"}");
        assertEquals(400, r.statusCode());
        assertTrue(r.body().contains("Unknown fault mode"));
        assertEquals(400, raw("POST", "quality", "{\"quality\":101}").statusCode());
        assertEquals(400, raw("POST", "status", "not json").statusCode());
        assertEquals(400, raw("POST", "biometric-presented", "{\"presented\":\"no\"}").statusCode());
        assertEquals(400, raw("POST", "encryption-certificate", "{\"pem\":\"-----BEGIN CERTIFICATE-----\"}").statusCode());
        assertEquals("NONE", admin(slap, "state", null).get("fault").asText());
        assertEquals(80, admin(slap, "state", null).get("quality").asInt());
    }

    @Test
    void unknownRoutesAndWrongMethodsAreRefused() throws Exception {
        assertEquals(404, raw("GET", "nothing", null).statusCode());
        HttpResponse<String> r = raw("GET", "fault", null);
        assertEquals(405, r.statusCode());
        assertEquals("POST", r.headers().firstValue("Allow").orElse(""));
    }
}
