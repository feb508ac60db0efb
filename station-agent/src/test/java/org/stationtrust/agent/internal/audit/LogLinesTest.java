package org.stationtrust.agent.internal.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.spi.ILoggingEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stationtrust.logging.JsonLineEncoder;
import org.stationtrust.logging.JsonLog;
import org.stationtrust.testsupport.HostileInputs;
import org.stationtrust.testsupport.LogCapture;

/** The agent's log lines and audit records against the shared hostile set. */
class LogLinesTest {
    private static final Logger LOG = LoggerFactory.getLogger(LogLinesTest.class);
    private static final JsonLog EVENTS = new JsonLog(LogLinesTest.class);

    @TempDir
    Path dir;

    @Test
    void everyAppenderOfTheAgentWritesRedactedJsonLines() {
        List<String> encoders = LogCapture.encoderClasses("logback.xml");
        assertTrue(!encoders.isEmpty() && encoders.stream().allMatch(JsonLineEncoder.class.getName()::equals),
                "station-agent's logback.xml must use the shared encoder everywhere: " + encoders);
    }

    @Test
    void hostileValuesLoggedAsTheAgentLogsThemNeverReachALine() {
        StringBuilder lines = new StringBuilder();
        try (LogCapture capture = LogCapture.start()) {
            for (HostileInputs.Hostile h : HostileInputs.caughtInText()) {
                // The agent's lines are events with fields, often a device's or the server's words under "reason".
                EVENTS.warn("queue.retry", "kind", "packet", "reason", h.text(), "detail", h.text());
                LOG.info(h.text(), new IllegalStateException(h.text()));
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

    @Test
    void hostileValuesRecordedInTheAuditLogNeverReachTheFile() throws Exception {
        try (AuditLog log = AuditLog.open(dir, Clock.systemUTC())) {
            for (HostileInputs.Hostile h : HostileInputs.all()) {
                log.append("test.keyed", Map.of(h.key(), h.value()));
            }
            for (HostileInputs.Hostile h : HostileInputs.caughtInText()) {
                log.append("test.text", Map.of("reason", h.text(), "nested", Map.of("detail", h.text())));
            }
        }
        String text = Files.readString(dir.resolve("audit.jsonl"));
        assertEquals(List.of(), HostileInputs.leaks(text), text);
    }
}
