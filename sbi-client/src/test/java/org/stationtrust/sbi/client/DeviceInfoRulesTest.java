package org.stationtrust.sbi.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.stationtrust.sbi.client.testing.FixtureDevice;
import org.stationtrust.sbi.client.testing.RawHttpServer;
import org.stationtrust.sbi.client.testing.TestClients;
import org.stationtrust.sbi.client.testing.TestPki;

/** Device info rules beyond its signature: env, deviceCode = digitalId serialNo, digitalId dateTime. */
class DeviceInfoRulesTest {
    private static final TestPki PKI = new TestPki("Info Rules Provider CA");
    private FixtureDevice fixture;
    private RawHttpServer server;

    @BeforeEach
    void start() throws Exception {
        fixture = new FixtureDevice(PKI);
        server = fixture.serve();
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private RejectionReason untrustedReason(String stationEnv) {
        try (SbiClient client = new SbiClient(TestClients.config(PKI, fixture.port).env(stationEnv).build())) {
            DeviceRegistry registry = client.discover();
            assertTrue(registry.trusted().isEmpty(), registry.toString());
            return registry.untrusted().get(0).rejection().reason();
        }
    }

    @Test
    void aDeviceRegisteredForAnotherEnvironmentIsUntrusted() {
        fixture.env = "Production";
        assertEquals(RejectionReason.ENVIRONMENT_MISMATCH, untrustedReason("Staging"));
    }

    @Test
    void aStationConfiguredForProductionDoesNotTrustAStagingDevice() {
        assertEquals(RejectionReason.ENVIRONMENT_MISMATCH, untrustedReason("Production"));
    }

    @Test
    void aDeviceCodeOtherThanTheDigitalIdSerialNoIsUntrusted() {
        fixture.deviceCode = "CODE-0002";     // discovery and info agree with each other, not with serialNo
        assertEquals(RejectionReason.DEVICE_MISMATCH, untrustedReason("Staging"));
    }

    @Test
    void aDigitalIdDatedOutsideTheAllowedSkewIsUntrusted() {
        fixture.editDigitalId = d -> d.put("dateTime", Instant.now().minus(1, ChronoUnit.HOURS).toString());
        assertEquals(RejectionReason.TIMESTAMP_TOO_OLD, untrustedReason("Staging"));
        fixture.editDigitalId = d -> d.put("dateTime", Instant.now().plus(1, ChronoUnit.HOURS).toString());
        assertEquals(RejectionReason.TIMESTAMP_IN_FUTURE, untrustedReason("Staging"));
    }

    @Test
    void theUnbentDeviceIsTrusted() {
        try (SbiClient client = TestClients.client(PKI, fixture.port)) {
            assertEquals(1, client.discover().trusted().size());
        }
    }
}
