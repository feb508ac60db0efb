package org.stationtrust.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The capture-packet schema: a packet written reads back equal; each broken rule is refused with its reason. */
class CapturePacketTest {
    private static CapturePacket packet() {
        String hash = "AB".repeat(32);
        return new CapturePacket(CapturePacket.TYPE, CapturePacket.VERSION, "p-1", "0123456789abcdef0123456789abcdef",
                "reg-12", "R-100", "consent-42", "op-7", "2026-12-01T10:00:00Z", "Finger", 1, "tx-1", "E3".repeat(32), hash,
                List.of("Left LittleFinger"), new CapturePacket.Device("1", "SN", "Make", "Model", "Prov", "SN", "L0", "1.0",
                        "CD".repeat(32)),
                List.of(new CapturePacket.Biometric("Finger", "Left IndexFinger", 87.5, 40, "2026-12-01T10:00:00Z", hash,
                        "eyJ.eyJ.sig")));
    }

    @Test
    void aPacketReadsBackEqualFromItsJson() throws Exception {
        CapturePacket p = packet();
        assertEquals(p, CapturePacket.parse(p.toJson()));
    }

    @Test
    void refusesANonJsonPayload() {
        InvalidCapturePacket e = assertThrows(InvalidCapturePacket.class,
                () -> CapturePacket.parse("not json".getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().contains("not a capture packet"), e.getMessage());
    }

    @Test
    void refusesAnUnknownFieldAMissingFieldAndAnotherVersion() throws Exception {
        ObjectNode json = (ObjectNode) WireJson.strict().readTree(packet().toJson());
        ObjectNode extra = json.deepCopy().put("bioValue", "AAAA");
        ObjectNode missing = json.deepCopy();
        missing.remove("consentReference");
        ObjectNode v2 = json.deepCopy().put("version", 2);
        ObjectNode badHash = json.deepCopy().put("lastHash", "xyz");
        for (ObjectNode bad : List.of(extra, missing, v2, badHash)) {
            assertThrows(InvalidCapturePacket.class, () -> CapturePacket.parse(bad.toString().getBytes(StandardCharsets.UTF_8)),
                    bad.toString());
        }
    }
}
