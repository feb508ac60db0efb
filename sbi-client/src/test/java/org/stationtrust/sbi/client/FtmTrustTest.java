package org.stationtrust.sbi.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stationtrust.sbi.client.testing.RegistrationSession;
import org.stationtrust.sbi.client.testing.SimulatorRig;
import org.stationtrust.sbi.simulator.DeviceKind;
import org.stationtrust.sbi.simulator.DeviceProviderCa;
import org.stationtrust.sbi.simulator.SbiSimulator;
import org.stationtrust.sbi.simulator.SimulatedDevice;
import org.stationtrust.sbi.simulator.SimulatorConfig;

/**
 * An L1 device's digitalId is signed by its FTM chip key, which must chain to an FTM-provider CA; its device key must
 * chain to a device-provider CA; neither domain's CA vouches for the other's keys (SBI 0.9.5 §Signature). Real HTTP
 * against sbi-simulator, with CAs generated for each test.
 */
class FtmTrustTest {
    private final DeviceProviderCa deviceCa = DeviceProviderCa.generate("FTM test Device Provider CA");
    private final DeviceProviderCa ftmCa = DeviceProviderCa.generate("FTM test FTM Provider CA");

    private DeviceTrustStore bothDomains() {
        return DeviceTrustStore.of(List.of(deviceCa.certificate())).withFtmProviderCas(List.of(ftmCa.certificate()));
    }

    /** A finger slap on a free port whose device key comes from {@code deviceIssuer}, its chip key (if any) from {@code chipIssuer}. */
    private static SimulatedDevice slap(DeviceProviderCa deviceIssuer, DeviceProviderCa chipIssuer) {
        return SbiSimulator.start(SimulatorConfig.builder(DeviceKind.FINGER_SLAP).anyFreePort()
                .ca(deviceIssuer).ftmCa(chipIssuer).build());
    }

    private static SbiClient client(DeviceTrustStore trust, SimulatedDevice sim) {
        return new SbiClient(SimulatorRig.config(trust).ports(sim.port(), sim.port()).build());
    }

    private static DeviceAnswerRejected refusedAtDiscovery(SbiClient client, SimulatedDevice sim) {
        DeviceRegistry registry = client.discover();
        assertTrue(registry.trusted().isEmpty(), registry.toString());
        assertEquals(1, registry.untrusted().size(), registry.toString());
        return registry.untrusted().get(0).rejection();
    }

    @Test
    void anL1DeviceWhoseChipKeyChainsToTheFtmCaIsTrustedAndCaptures() throws Exception {
        try (SimulatedDevice sim = slap(deviceCa, ftmCa); SbiClient client = client(bothDomains(), sim)) {
            Device device = client.probe(sim.port()).get(0);

            assertEquals("L1", device.certification());
            assertEquals(4, new RegistrationSession(client).capture(device, CaptureRequest.fingers(1, List.of()))
                    .samples().size());
        }
    }

    @Test
    void anL1DeviceWhoseChipKeyWasIssuedByTheDeviceProviderCaIsRefused() throws Exception {
        try (SimulatedDevice sim = slap(deviceCa, deviceCa); SbiClient client = client(bothDomains(), sim)) {
            DeviceAnswerRejected e = refusedAtDiscovery(client, sim);

            assertEquals(RejectionReason.FTM_CERTIFICATE_UNTRUSTED, e.reason());
            assertTrue(e.getMessage().contains("FTM-provider CAs"), e.getMessage());
        }
    }

    @Test
    void aDeviceKeyIssuedByTheFtmProviderCaIsRefused() throws Exception {
        try (SimulatedDevice sim = slap(ftmCa, ftmCa); SbiClient client = client(bothDomains(), sim)) {
            DeviceAnswerRejected e = refusedAtDiscovery(client, sim);

            assertEquals(RejectionReason.CERTIFICATE_UNTRUSTED, e.reason());
            assertTrue(e.getMessage().contains("device-provider CAs"), e.getMessage());
        }
    }

    @Test
    void withoutFtmRootsAnL1DeviceIsRefusedWithTheReasonSayingToConfigureThem() throws Exception {
        DeviceTrustStore deviceOnly = DeviceTrustStore.of(List.of(deviceCa.certificate()));
        try (SimulatedDevice sim = slap(deviceCa, ftmCa); SbiClient client = client(deviceOnly, sim)) {
            DeviceAnswerRejected e = refusedAtDiscovery(client, sim);

            assertEquals(RejectionReason.FTM_TRUST_NOT_CONFIGURED, e.reason());
            assertTrue(e.getMessage().contains("trusts no FTM-provider CA"), e.getMessage());
            assertTrue(e.reason().action().contains("devices.ftm_trust_store"), e.reason().action());
        }
    }

    @Test
    void withoutFtmRootsAnL1DeviceWhoseChipKeyCameFromTheDeviceCaIsStillRefused() throws Exception {
        DeviceTrustStore deviceOnly = DeviceTrustStore.of(List.of(deviceCa.certificate()));
        try (SimulatedDevice sim = slap(deviceCa, deviceCa); SbiClient client = client(deviceOnly, sim)) {
            assertEquals(RejectionReason.FTM_TRUST_NOT_CONFIGURED, refusedAtDiscovery(client, sim).reason());
        }
    }

    @Test
    void anL0DeviceCapturesWithOrWithoutFtmRoots() throws Exception {
        for (DeviceTrustStore trust : List.of(DeviceTrustStore.of(List.of(deviceCa.certificate())), bothDomains())) {
            try (SimulatedDevice sim = slap(deviceCa, null); SbiClient client = client(trust, sim)) {
                Device device = client.probe(sim.port()).get(0);

                assertEquals("L0", device.certification());
                assertEquals(4, new RegistrationSession(client).capture(device, CaptureRequest.fingers(1, List.of()))
                        .samples().size());
            }
        }
    }

    @Test
    void anL0DeviceKeyIssuedByTheFtmProviderCaIsRefused() throws Exception {
        try (SimulatedDevice sim = slap(ftmCa, null); SbiClient client = client(bothDomains(), sim)) {
            assertEquals(RejectionReason.CERTIFICATE_UNTRUSTED, refusedAtDiscovery(client, sim).reason());
        }
    }

    @Test
    void theSameCaCannotBeBothADeviceProviderAndAnFtmProviderRoot() {
        DeviceTrustStore deviceOnly = DeviceTrustStore.of(List.of(deviceCa.certificate()));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> deviceOnly.withFtmProviderCas(List.of(ftmCa.certificate(), deviceCa.certificate())));

        assertTrue(e.getMessage().contains("distinct roots"), e.getMessage());
    }

    @Test
    void anEmptyFtmRootSetIsRefusedRatherThanTakenAsNoCheck() {
        DeviceTrustStore deviceOnly = DeviceTrustStore.of(List.of(deviceCa.certificate()));

        assertThrows(IllegalArgumentException.class, () -> deviceOnly.withFtmProviderCas(List.of()));
    }

    @Test
    void ftmRootsAreReadFromTheirOwnPemDirectory(@TempDir Path dir) throws Exception {
        Path ftmDir = Files.createDirectories(dir.resolve("ftm-cas"));
        ftmCa.writeCertificatePem(ftmDir.resolve("ftm.pem"));

        DeviceTrustStore trust = DeviceTrustStore.of(List.of(deviceCa.certificate())).withFtmProviderPemDirectory(ftmDir);

        assertEquals(List.of(ftmCa.certificate()), trust.ftmCaCertificates());
        assertEquals(List.of(deviceCa.certificate()), trust.caCertificates());
    }
}
