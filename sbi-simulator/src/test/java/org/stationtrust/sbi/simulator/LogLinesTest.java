package org.stationtrust.sbi.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.stationtrust.sbi.simulator.TestDevices.EMPTY_SHA256_HEX;
import static org.stationtrust.sbi.simulator.TestDevices.capture;
import static org.stationtrust.sbi.simulator.TestDevices.rcapture;

import ch.qos.logback.classic.spi.ILoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.stationtrust.logging.JsonLineEncoder;
import org.stationtrust.logging.JsonLog;
import org.stationtrust.testsupport.HostileInputs;
import org.stationtrust.testsupport.LogCapture;

/** The simulator program's log lines: the shared JSON line format, and the shared hostile set never reaching a line. */
class LogLinesTest {
    private static final JsonLog EVENTS = new JsonLog(LogLinesTest.class);

    @Test
    void theSimulatorProgramWritesEveryLineThroughTheSharedEncoder() {
        List<String> encoders = LogCapture.encoderClasses(Main.LOG_CONFIGURATION);
        assertTrue(!encoders.isEmpty() && encoders.stream().allMatch(JsonLineEncoder.class.getName()::equals),
                "sbi-simulator's " + Main.LOG_CONFIGURATION + " must use the shared encoder everywhere: " + encoders);
    }

    @Test
    void aCaptureIsLoggedAsAnEventWithItsTransactionIdAndWithoutTheBiometrics() throws Exception {
        String lines;
        JsonNode biometrics;
        ObjectNode request = rcapture(DeviceKind.FINGER_SLAP, 1, 4, List.of(), EMPTY_SHA256_HEX);
        try (SimulatedDevices devices = SimulatedDevices.start(TestDevices.config(DeviceKind.FINGER_SLAP).build());
             LogCapture capture = LogCapture.start()) {
            biometrics = capture(devices.device(DeviceKind.FINGER_SLAP), request).get("biometrics");
            lines = capture.events().stream().map(JsonLineEncoder::line).reduce("", (a, b) -> a + b + "\n");
        }
        assertTrue(lines.contains("\"event\":\"capture.answered\""), lines);
        assertTrue(lines.contains("\"transactionId\":\"" + request.get("transactionId").asText() + "\""), lines);
        for (JsonNode e : biometrics) {
            String jws = e.get("data").asText();
            String bioValue = TestDevices.Jws.parse(jws).payloadJson().get("bioValue").asText();
            assertFalse(lines.contains(bioValue.substring(0, 40)), "a bioValue reached a log line");
            assertFalse(lines.contains(jws.substring(0, 40)), "a signed capture reached a log line");
        }
    }

    @Test
    void hostileValuesLoggedAsTheSimulatorLogsThemNeverReachALine() {
        StringBuilder lines = new StringBuilder();
        try (LogCapture capture = LogCapture.start()) {
            for (HostileInputs.Hostile h : HostileInputs.caughtInText()) {
                // The simulator's fields that carry outside text: the request path and a device error's info.
                EVENTS.info("capture.refused", "verb", "RCAPTURE", "info", h.text(), "path", h.text());
            }
            for (HostileInputs.Hostile h : HostileInputs.all()) {
                EVENTS.info("test.keyed", h.key(), h.value());
            }
            for (ILoggingEvent e : capture.events()) {
                lines.append(JsonLineEncoder.line(e)).append('\n');
            }
        }
        assertEquals(List.of(), HostileInputs.leaks(lines.toString()), lines.toString());
    }
}
