package org.stationtrust.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stationtrust.sbi.client.DeviceRegistry;
import org.stationtrust.sbi.client.RejectionReason;
import org.stationtrust.sbi.client.SbiClient;
import org.stationtrust.sbi.client.SbiClientConfig;
import org.stationtrust.sbi.simulator.DeviceKind;
import org.stationtrust.sbi.simulator.DeviceProviderCa;
import org.stationtrust.sbi.simulator.SbiSimulator;
import org.stationtrust.sbi.simulator.SimulatedDevice;
import org.stationtrust.sbi.simulator.SimulatorConfig;

/**
 * The agent's device settings build the station's device trust ({@link AgentConfig.Devices#loadTrustStore}): an L1
 * device from sbi-simulator, its chip key issued by a separate FTM-provider CA, is trusted only when
 * {@code devices.ftm_trust_store} holds that CA. Real HTTP, CAs generated for the test.
 */
class DeviceTrustSettingsTest {
    @TempDir Path dir;

    private final DeviceProviderCa deviceCa = DeviceProviderCa.generate("Agent test Device Provider CA");
    private final DeviceProviderCa ftmCa = DeviceProviderCa.generate("Agent test FTM Provider CA");

    private AgentConfig.Devices settings(int port, boolean withFtmRoots) throws IOException {
        Path devices = Files.createDirectories(dir.resolve("device-cas"));
        deviceCa.writeCertificatePem(devices.resolve("provider.pem"));
        Optional<Path> ftm = Optional.empty();
        if (withFtmRoots) {
            ftm = Optional.of(Files.createDirectories(dir.resolve("ftm-cas")));
            ftmCa.writeCertificatePem(ftm.get().resolve("ftm-provider.pem"));
        }
        return new AgentConfig.Devices(Optional.of(devices), port, port, Duration.ofMinutes(5), "Staging", ftm);
    }

    private static DeviceRegistry discover(AgentConfig.Devices settings) throws IOException {
        try (SbiClient client = new SbiClient(SbiClientConfig.builder(settings.loadTrustStore())
                .ports(settings.firstPort(), settings.lastPort()).env(settings.environment())
                .discoveryDeadline(Duration.ofMillis(1500)).build())) {
            return client.discover();
        }
    }

    private SimulatedDevice l1Slap() {
        return SbiSimulator.start(SimulatorConfig.builder(DeviceKind.FINGER_SLAP).anyFreePort().ca(deviceCa)
                .ftmCa(ftmCa).build());
    }

    @Test
    void anL1DeviceIsTrustedWhenTheFtmTrustStoreHoldsItsFtmProviderCa() throws Exception {
        try (SimulatedDevice sim = l1Slap()) {
            DeviceRegistry registry = discover(settings(sim.port(), true));

            assertEquals(1, registry.trusted().size(), registry.toString());
            assertEquals("L1", registry.trusted().get(0).certification());
        }
    }

    @Test
    void anL1DeviceIsRefusedWithTheReasonWhenNoFtmTrustStoreIsConfigured() throws Exception {
        try (SimulatedDevice sim = l1Slap()) {
            DeviceRegistry registry = discover(settings(sim.port(), false));

            assertTrue(registry.trusted().isEmpty(), registry.toString());
            assertEquals(RejectionReason.FTM_TRUST_NOT_CONFIGURED, registry.untrusted().get(0).rejection().reason());
        }
    }

    @Test
    void anFtmTrustStoreHoldingADeviceProviderCaIsRefusedWhenLoaded() throws Exception {
        AgentConfig.Devices settings = settings(4501, true);
        deviceCa.writeCertificatePem(settings.ftmTrustStore().orElseThrow().resolve("device-provider-again.pem"));

        IOException e = assertThrows(IOException.class, settings::loadTrustStore);

        assertTrue(e.getMessage().contains("devices.ftm_trust_store"), e.getMessage());
        assertTrue(e.getMessage().contains("distinct roots"), e.getMessage());
    }
}
