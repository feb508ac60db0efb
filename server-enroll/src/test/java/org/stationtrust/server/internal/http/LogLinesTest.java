package org.stationtrust.server.internal.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.spi.ILoggingEvent;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.stationtrust.logging.JsonLineEncoder;
import org.stationtrust.logging.JsonLog;
import org.stationtrust.testsupport.HostileInputs;
import org.stationtrust.testsupport.LogCapture;

/** The server's logging against the shared hostile set: its configuration and the way its code logs. */
class LogLinesTest {
    @Test
    void everyAppenderOfTheServerWritesRedactedJsonLines() {
        List<String> encoders = LogCapture.encoderClasses("logback.xml");
        assertTrue(!encoders.isEmpty() && encoders.stream().allMatch(JsonLineEncoder.class.getName()::equals),
                "server-enroll's logback.xml must use the shared encoder everywhere: " + encoders);
    }

    @Test
    void hostileValuesLoggedAsTheServerLogsThemNeverReachALine() {
        JsonLog log = new JsonLog(LogLinesTest.class);
        StringBuilder lines = new StringBuilder();
        try (LogCapture capture = LogCapture.start()) {
            for (HostileInputs.Hostile h : HostileInputs.all()) {
                log.warn("hostile_keyed", h.key(), h.value(), "requestId", "r-1");
            }
            for (HostileInputs.Hostile h : HostileInputs.caughtInText()) {
                // What the server logs most: an exception's message under "error".
                log.error("storage_failure", "requestId", "r-1", "error", new IllegalStateException(h.text()).getMessage());
            }
            for (ILoggingEvent e : capture.events()) {
                lines.append(JsonLineEncoder.line(e)).append('\n');
            }
        }
        assertEquals(List.of(), HostileInputs.leaks(lines.toString()), lines.toString());
        assertTrue(lines.toString().contains("\"event\":\"storage_failure\",\"requestId\":\"r-1\""), lines.toString());
    }
}
