package org.stationtrust.ctk.internal.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.stationtrust.ctk.testing.Iso;
import org.stationtrust.ctk.testing.TestDevice;
import org.stationtrust.testsupport.HostileInputs;

class ReportBodiesTest {
    @Test
    void elidesBioValueAndSessionKeyInsideSignedDataButKeepsTheRest() {
        TestDevice device = TestDevice.create();
        ObjectNode payload = device.payload("CTK-txn-1", "Left Thumb", Iso.fingerRecord(500), Instant.now());
        String bioValue = payload.path("bioValue").asText();
        ObjectNode answer = TestDevice.JSON.createObjectNode();
        ObjectNode element = answer.putArray("biometrics").addObject();
        element.put("data", device.sign(payload));
        element.put("sessionKey", "c2Vzc2lvbi1rZXktYnl0ZXM");
        element.put("hash", "ABCDEF");
        String shown = ReportBodies.body(answer.toString().getBytes(StandardCharsets.UTF_8));
        assertFalse(shown.contains(bioValue), "the biometric record must not appear");
        assertFalse(shown.contains("c2Vzc2lvbi1rZXktYnl0ZXM"));
        assertTrue(shown.contains("<bioValue elided: " + bioValue.length() + " characters>"), shown);
        assertTrue(shown.contains("CTK-txn-1") && shown.contains("Left Thumb") && shown.contains("ABCDEF"), shown);
        assertTrue(shown.contains("jwsSignature"), "signed parts are shown decoded");
    }

    /** The JWS header is the device's text too: only x5c used to be replaced, any other header value was shown whole. */
    @Test
    void aSignedPartsHeaderPassesTheRedactionPolicyLikeItsPayload() {
        TestDevice device = TestDevice.create();
        String record = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(Iso.fingerRecord(500));
        String jws = device.signVerbatim("{\"alg\":\"RS256\",\"typ\":\"JWT\",\"x5c\":[\"X5C\"],\"kid\":\"" + record + "\"}",
                "{\"deviceCode\":\"CODE-1\"}", false);
        ObjectNode answer = TestDevice.JSON.createObjectNode();
        answer.putArray("biometrics").addObject().put("data", jws);
        String shown = ReportBodies.body(answer.toString().getBytes(StandardCharsets.UTF_8));
        assertFalse(shown.contains(record.substring(0, 40)), shown);
        assertTrue(shown.contains("\"alg\" : \"RS256\"") && shown.contains("<1 certificate(s)>")
                && shown.contains("CODE-1"), shown);
    }

    @Test
    void scrubsBioValueFromTextThatIsNotJson() {
        String shown = ReportBodies.body("{\"bioValue\":\"QUJDREVG\", \"x\": [1,2".getBytes(StandardCharsets.UTF_8));
        assertFalse(shown.contains("QUJDREVG"), shown);
    }

    @Test
    void showsBinaryAsAByteCount() {
        assertEquals("<4 bytes, not UTF-8 text>", ReportBodies.body(new byte[] {(byte) 0xFF, (byte) 0xFE, 0, (byte) 0xC3}));
    }

    @Test
    void hostileValuesOfTheSharedSetNeverReachAReport() {
        for (HostileInputs.Hostile h : HostileInputs.all()) {
            ObjectNode answer = TestDevice.JSON.createObjectNode();
            answer.put(h.key(), h.value());
            if (HostileInputs.caughtInText().contains(h)) {
                answer.putObject("error").put("errorInfo", h.text());
            }
            String json = ReportBodies.body(answer.toString().getBytes(StandardCharsets.UTF_8));
            String text = ReportBodies.body(("{\"" + h.key() + "\": \"" + h.value() + "\", broken")
                    .getBytes(StandardCharsets.UTF_8));
            assertEquals(java.util.List.of(), HostileInputs.leaks(json + "\n" + text), json + "\n" + text);
        }
    }
}
