package org.stationtrust.sbi.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.stationtrust.logging.JsonLineEncoder;
import org.stationtrust.testsupport.LogCapture;

class SimulatedDevicesTest {
    /** A range away from 4501-4600 so that other modules' discovery tests never see these devices. */
    private static int randomBase() {
        return 20_000 + new Random().nextInt(30_000);
    }

    @Test
    void threeDevicesStartOnConsecutivePortsSharingOneCa() throws Exception {
        int base = randomBase();
        try (SimulatedDevices d = SimulatedDevices.start(TestDevices.config(DeviceKind.FINGER_SLAP)
                .firstFreePortIn(base, base + 60).build())) {
            List<SimulatedDevice> all = d.all();
            assertEquals(3, all.size());
            assertEquals(all.get(0).port() + 1, all.get(1).port());
            assertEquals(all.get(1).port() + 1, all.get(2).port());
            assertEquals(List.of("Finger", "Iris", "Face"), all.stream().map(x -> {
                try {
                    return TestDevices.discover(x, "Biometric Device").get(0).get("callbackId").asText().equals(
                            x.callbackUrl().toString()) ? x.kind().bioType() : "wrong callbackId";
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }).toList());
            for (SimulatedDevice x : all) {
                assertTrue(TestDevices.chainsTo(x.deviceCertificate(), d.ca().certificate()));
            }
        }
    }

    /** A listening socket on some port of the test range (retrying if that port is already in use). */
    private static ServerSocket occupy() throws IOException {
        IOException last = null;
        for (int attempt = 0; attempt < 20; attempt++) {
            try {
                return new ServerSocket(randomBase(), 1, InetAddress.getLoopbackAddress());
            } catch (IOException e) {
                last = e;
            }
        }
        throw last;
    }

    @Test
    void aTakenPortIsSkipped() throws Exception {
        try (ServerSocket taken = occupy();
             SimulatedDevice face = SbiSimulator.start(TestDevices.config(DeviceKind.FACE)
                     .firstFreePortIn(taken.getLocalPort(), taken.getLocalPort() + 20).build())) {
            int base = taken.getLocalPort();
            assertTrue(face.port() > base && face.port() <= base + 20, "port " + face.port());
            assertEquals(1, TestDevices.discover(face, "Face").size());
        }
    }

    @Test
    void noFreePortIsAClearError() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int p = taken.getLocalPort();
            SimulatorException e = assertThrows(SimulatorException.class,
                    () -> SbiSimulator.start(TestDevices.config(DeviceKind.FACE).port(p).build()));
            assertTrue(e.getMessage().contains("No free port"), e.getMessage());
        }
    }

    @Test
    void logsNeverCarryBioValuesOrCertificates() throws Exception {
        List<String> lines;
        JsonNode b;
        try (LogCapture capture = LogCapture.start(); SimulatedDevice slap = TestDevices.start(DeviceKind.FINGER_SLAP)) {
            b = TestDevices.capture(slap, TestDevices.rcapture(DeviceKind.FINGER_SLAP, 1, 4, List.of(),
                    TestDevices.EMPTY_SHA256_HEX)).get("biometrics");
            TestDevices.admin(slap, "rotate-key", "{}");
            // As the program writes them: through the shared encoder.
            lines = capture.events().stream().map(JsonLineEncoder::line).toList();
        }
        String bioValue = TestDevices.Jws.parse(b.get(0).get("data").asText()).payloadJson().get("bioValue").asText();
        assertFalse(lines.isEmpty(), "the capture was logged");
        assertTrue(lines.stream().anyMatch(l -> l.contains("\"verb\":\"RCAPTURE\"")), String.join("\n", lines));
        for (String l : lines) {
            assertFalse(l.contains(bioValue.substring(0, 40)), "bioValue in log: " + l);
            assertFalse(l.contains("BEGIN"), "PEM in log: " + l);
            assertFalse(l.contains(b.get(0).get("data").asText().substring(0, 40)), "JWS in log: " + l);
        }
    }
}
