package org.stationtrust.sbi.simulator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.stationtrust.sbi.simulator.TestDevices.info;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.security.cert.X509Certificate;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DiscoveryAndInfoTest {
    private static SimulatedDevice iris;

    @BeforeAll
    static void start() {
        iris = TestDevices.start(DeviceKind.IRIS_DOUBLE);
    }

    @AfterAll
    static void stop() {
        iris.close();
    }

    @AfterEach
    void reset() {
        iris.reset();
    }

    @Test
    void discoveryAnswersOnlyForItsOwnTypeOrBiometricDevice() throws Exception {
        assertEquals(1, TestDevices.discover(iris, "Iris").size());
        assertEquals(1, TestDevices.discover(iris, "Biometric Device").size());
        assertEquals(0, TestDevices.discover(iris, "Finger").size());
        assertEquals(0, TestDevices.discover(iris, "Face").size());
    }

    @Test
    void discoveryEntryCarriesTheFieldsOfSbi095WithAnUnsignedDigitalId() throws Exception {
        JsonNode e = TestDevices.discover(iris, "Iris").get(0);
        assertEquals("2", e.get("deviceId").asText());
        assertEquals("Ready", e.get("deviceStatus").asText());
        assertEquals("L0", e.get("certification").asText());
        assertEquals("http://127.0.0.1:" + iris.port() + "/", e.get("callbackId").asText());
        assertEquals("[\"1\",\"2\",\"3\"]", e.get("deviceSubId").toString());
        assertEquals("0.9.5", e.get("specVersion").get(0).asText());
        assertEquals("Registration", e.get("purpose").asText());
        assertEquals(iris.serialNumber(), e.get("deviceCode").asText());
        assertEquals("0", TestDevices.errorCode(e));
        JsonNode digitalId = TestDevices.JSON.readTree(TestDevices.b64url(e.get("digitalId").asText()));
        assertEquals(iris.serialNumber(), digitalId.get("serialNo").asText());
        assertEquals("Iris", digitalId.get("type").asText());
        assertEquals("Double", digitalId.get("deviceSubType").asText());
        for (String f : new String[] {"make", "model", "deviceProvider", "deviceProviderId", "dateTime"}) {
            assertTrue(digitalId.hasNonNull(f), "digitalId has " + f);
        }
    }

    @Test
    void deviceInfoIsSignedByAnX5cCertificateThatChainsToTheProviderCa() throws Exception {
        JsonNode e = info(iris).get(0);
        assertEquals("0", TestDevices.errorCode(e));
        TestDevices.Jws jws = TestDevices.Jws.parse(e.get("deviceInfo").asText());
        assertEquals("RS256", jws.header().get("alg").asText());
        X509Certificate cert = jws.x5c();
        assertTrue(jws.verifiesWith(cert), "deviceInfo signature verifies with the x5c certificate");
        assertTrue(TestDevices.chainsTo(cert, TestDevices.CA.certificate()), "x5c chains to the provider CA");
        cert.checkValidity();
        assertEquals(iris.deviceCertificate(), cert);

        JsonNode payload = jws.payloadJson();
        assertEquals("Ready", payload.get("deviceStatus").asText());
        assertEquals(iris.callbackUrl().toString(), payload.get("callbackId").asText());
        TestDevices.Jws digitalId = TestDevices.Jws.parse(payload.get("digitalId").asText());
        assertTrue(digitalId.verifiesWith(digitalId.x5c()), "inner digitalId is signed too");
        assertEquals(iris.serialNumber(), digitalId.payloadJson().get("serialNo").asText());
    }

    @Test
    void notRegisteredDeviceSendsUnsignedInfoWithError100() throws Exception {
        iris.setStatus(DeviceStatus.NOT_REGISTERED);
        JsonNode e = info(iris).get(0);
        assertEquals("100", TestDevices.errorCode(e));
        String deviceInfo = e.get("deviceInfo").asText();
        assertFalse(deviceInfo.contains("."), "unsigned deviceInfo is plain base64url, no JWS parts");
        JsonNode payload = TestDevices.JSON.readTree(TestDevices.b64url(deviceInfo));
        assertEquals("Not Registered", payload.get("deviceStatus").asText());
        assertEquals("Not Registered", TestDevices.discover(iris, "Iris").get(0).get("deviceStatus").asText());
    }

    @Test
    void statusChangesShowInDiscoveryAndInfo() throws Exception {
        for (DeviceStatus s : new DeviceStatus[] {DeviceStatus.BUSY, DeviceStatus.NOT_READY, DeviceStatus.READY}) {
            iris.setStatus(s);
            assertEquals(s.wire(), TestDevices.discover(iris, "Iris").get(0).get("deviceStatus").asText());
            JsonNode payload = TestDevices.Jws.parse(info(iris).get(0).get("deviceInfo").asText()).payloadJson();
            assertEquals(s.wire(), payload.get("deviceStatus").asText());
        }
    }

    @Test
    void keyRotationSignsWithANewCertificateFromTheSameCa() throws Exception {
        X509Certificate before = TestDevices.Jws.parse(info(iris).get(0).get("deviceInfo").asText()).x5c();
        X509Certificate rotated = iris.rotateKey();
        X509Certificate after = TestDevices.Jws.parse(info(iris).get(0).get("deviceInfo").asText()).x5c();
        assertEquals(rotated, after);
        assertNotEquals(before.getSerialNumber(), after.getSerialNumber());
        assertNotEquals(before.getPublicKey(), after.getPublicKey());
        assertTrue(TestDevices.chainsTo(after, TestDevices.CA.certificate()));
    }

    @Test
    void wrongVerbOnAKnownPathGets405AndUnknownPathGets404() throws Exception {
        HttpResponse<byte[]> r = TestDevices.send(iris, "GET", "/device", null, Duration.ofSeconds(5));
        assertEquals(405, r.statusCode());
        assertEquals("MOSIPDISC", r.headers().firstValue("Allow").orElse(""));
        HttpResponse<byte[]> c = TestDevices.send(iris, "POST", "/capture", "{}", Duration.ofSeconds(5));
        assertEquals(405, c.statusCode());
        assertEquals("RCAPTURE, CAPTURE", c.headers().firstValue("Allow").orElse(""));
        assertEquals(404, TestDevices.send(iris, "MOSIPDISC", "/nothing", "{}", Duration.ofSeconds(5)).statusCode());
        HttpResponse<byte[]> preflight = TestDevices.send(iris, "OPTIONS", "/capture", null, Duration.ofSeconds(5));
        assertEquals(200, preflight.statusCode());
        assertTrue(preflight.headers().firstValue("Access-Control-Allow-Methods").orElse("").contains("RCAPTURE"));
    }

    @Test
    void answersCloseTheConnectionLikeDeployedDevicesUnlessKeepAliveIsAsked() throws Exception {
        HttpResponse<byte[]> r = TestDevices.send(iris, "MOSIPDINFO", "/info", null, Duration.ofSeconds(5));
        assertEquals("close", r.headers().firstValue("Connection").orElse(""));
        assertEquals("no-store", r.headers().firstValue("Cache-Control").orElse(""));
        try (SimulatedDevice keep = SbiSimulator.start(TestDevices.config(DeviceKind.FACE).closeConnections(false).build())) {
            HttpResponse<byte[]> k = TestDevices.send(keep, "MOSIPDINFO", "/info", null, Duration.ofSeconds(5));
            assertTrue(k.headers().firstValue("Connection").isEmpty());
            assertEquals(keep.callbackUrl().resolve("/admin/"), keep.adminUrl());
        }
    }

    @Test
    void caCertificateCanBeExportedAsPem() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("sbi-ca");
        java.nio.file.Path pem = iris.writeDeviceProviderCaPem(dir.resolve("ca.pem"));
        X509Certificate read = (X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509")
                .generateCertificate(java.nio.file.Files.newInputStream(pem));
        assertArrayEquals(TestDevices.CA.certificate().getEncoded(), read.getEncoded());
        assertTrue(java.nio.file.Files.readString(pem).startsWith("-----BEGIN CERTIFICATE-----"));
    }

    @Test
    void invalidConfigurationIsRefusedAtConstruction() {
        assertThrows(IllegalArgumentException.class, () -> TestDevices.config(DeviceKind.FACE).quality(101).build());
        assertThrows(IllegalArgumentException.class, () -> TestDevices.config(DeviceKind.FACE).firstFreePortIn(10, 5).build());
        assertThrows(IllegalArgumentException.class,
                () -> TestDevices.config(DeviceKind.FACE).streamFrameInterval(Duration.ofSeconds(1)).build());
    }
}
