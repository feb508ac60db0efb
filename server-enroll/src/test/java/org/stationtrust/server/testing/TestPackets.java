package org.stationtrust.server.testing;

import java.util.List;
import org.stationtrust.protocol.CapturePacket;

/** Capture-packet payloads that pass the schema, for tests that deliver or verify packets. */
public final class TestPackets {
    private TestPackets() {
    }

    /**
     * A valid packet of {@code machineId}; {@code marker} (letters, digits, dashes) lands in the registration id
     * and in the device's signed answer, so a test can look for it where content must never be stored.
     */
    public static byte[] payload(String machineId, String packetId, String marker) {
        String hash = "AB".repeat(32);
        CapturePacket p = new CapturePacket(CapturePacket.TYPE, CapturePacket.VERSION, packetId, machineId, "soft-station",
                marker, "consent-1", "op-1", "2026-12-01T10:00:00Z", "Finger", 1, "tx-" + marker,
                "E3".repeat(32), hash, List.of(),
                new CapturePacket.Device("1", "SN-1", "Make", "Model", "Provider", "SN-1", "L0", "1.0", null),
                List.of(new CapturePacket.Biometric("Finger", "Left IndexFinger", 80, 40, "2026-12-01T10:00:00Z", hash,
                        "eyJhbGciOiJSUzI1NiJ9." + marker + ".c2ln")));
        return p.toJson();
    }
}
