package org.stationtrust.sbi.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An L1 device (SBI 0.9.5 §Digital Id): its FTM chip key, issued by a separate FTM-provider CA, signs the digitalId. */
class FtmChipTest {
    private static final DeviceProviderCa FTM_CA = DeviceProviderCa.generate("Test FTM Provider CA");

    @Test
    void anL1DeviceSignsItsDigitalIdWithAChipKeyFromTheFtmCaAndItsInfoWithTheDeviceKey() throws Exception {
        try (SimulatedDevice slap = SbiSimulator.start(TestDevices.config(DeviceKind.FINGER_SLAP).ftmCa(FTM_CA).build())) {
            JsonNode entry = TestDevices.info(slap).get(0);
            TestDevices.Jws info = TestDevices.Jws.parse(entry.get("deviceInfo").asText());
            TestDevices.Jws digitalId = TestDevices.Jws.parse(info.payloadJson().get("digitalId").asText());
            X509Certificate chip = digitalId.x5c();

            assertEquals("L1", slap.certification());
            assertEquals("L1", info.payloadJson().get("certification").asText());
            assertEquals("L1", TestDevices.discover(slap, "Finger").get(0).get("certification").asText());
            assertTrue(digitalId.verifiesWith(chip), "digitalId verifies with its x5c chip certificate");
            assertTrue(TestDevices.chainsTo(chip, FTM_CA.certificate()), "chip certificate issued by the FTM CA");
            assertFalse(TestDevices.chainsTo(chip, TestDevices.CA.certificate()), "not by the device-provider CA");
            assertEquals(slap.deviceCertificate(), info.x5c());
            assertNotEquals(slap.deviceCertificate().getPublicKey(), chip.getPublicKey());
            assertEquals(FTM_CA, slap.ftmCa().orElseThrow());
        }
    }

    @Test
    void theDigitalIdInEveryCaptureIsChipSignedToo() throws Exception {
        try (SimulatedDevice slap = SbiSimulator.start(TestDevices.config(DeviceKind.FINGER_SLAP).ftmCa(FTM_CA).build())) {
            JsonNode answer = TestDevices.capture(slap, TestDevices.rcapture(DeviceKind.FINGER_SLAP, 1, 4, List.of(),
                    TestDevices.EMPTY_SHA256_HEX));
            TestDevices.Jws data = TestDevices.Jws.parse(answer.get("biometrics").get(0).get("data").asText());
            TestDevices.Jws digitalId = TestDevices.Jws.parse(data.payloadJson().get("digitalId").asText());

            assertEquals(slap.deviceCertificate(), data.x5c());
            assertTrue(TestDevices.chainsTo(digitalId.x5c(), FTM_CA.certificate()));
        }
    }

    @Test
    void anL0DeviceHasNoFtmCaAndSignsItsDigitalIdWithTheDeviceKey() throws Exception {
        try (SimulatedDevice slap = TestDevices.start(DeviceKind.FINGER_SLAP)) {
            TestDevices.Jws info = TestDevices.Jws.parse(TestDevices.info(slap).get(0).get("deviceInfo").asText());

            assertEquals("L0", slap.certification());
            assertTrue(slap.ftmCa().isEmpty());
            assertEquals(slap.deviceCertificate(),
                    TestDevices.Jws.parse(info.payloadJson().get("digitalId").asText()).x5c());
        }
    }
}
