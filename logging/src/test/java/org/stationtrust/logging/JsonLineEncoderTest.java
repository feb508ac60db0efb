package org.stationtrust.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.stationtrust.testsupport.HostileInputs;

class JsonLineEncoderTest {
    @Test
    void aMessageBecomesOneJsonObjectWithTimeLevelLoggerAndMessage() throws IOException {
        LoggerContext context = new LoggerContext();
        LoggingEvent event = new LoggingEvent("test", context.getLogger("org.example.Courier"), Level.WARN,
                "delivery {} failed", null, new Object[] {"p-1"});
        String line = JsonLineEncoder.line(event);
        Map<String, String> fields = parse(line);
        assertEquals(List.of("ts", "level", "logger", "msg"), List.copyOf(fields.keySet()), line);
        assertEquals("warn", fields.get("level"));
        assertEquals("Courier", fields.get("logger"));
        assertEquals("delivery p-1 failed", fields.get("msg"));
        assertTrue(fields.get("ts").endsWith("Z"), line);
    }

    @Test
    void hostileValuesNeverReachALineWhetherInTheMessageAnArgumentOrAKeyValue() throws IOException {
        LoggerContext context = new LoggerContext();
        Logger logger = context.getLogger("org.example.Anything");
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        logger.addAppender(captured);
        for (HostileInputs.Hostile h : HostileInputs.all()) {
            logger.atInfo().addKeyValue(h.key(), h.value()).log("hostile input");
        }
        for (HostileInputs.Hostile h : HostileInputs.caughtInText()) {
            logger.info(h.text());
            logger.info("argument: {}", h.text());
            logger.atWarn().addKeyValue("detail", h.text()).log("with detail");
        }
        StringBuilder all = new StringBuilder();
        for (ILoggingEvent e : captured.list) {
            String line = JsonLineEncoder.line(e);
            parse(line);
            all.append(line).append('\n');
        }
        assertEquals(List.of(), HostileInputs.leaks(all.toString()), all.toString());
        assertEquals(HostileInputs.all().size() + 3 * HostileInputs.caughtInText().size(), captured.list.size());
    }

    @Test
    void anExceptionIsNamedButItsMessageIsLeftOut() throws IOException {
        LoggerContext context = new LoggerContext();
        Exception failure = new IllegalStateException("password=" + HostileInputs.PASSWORD,
                new java.io.IOException(HostileInputs.PIN));
        LoggingEvent event = new LoggingEvent("test", context.getLogger("x"), Level.ERROR, "failed", failure, null);
        String line = JsonLineEncoder.line(event);
        assertEquals("java.lang.IllegalStateException <- java.io.IOException", parse(line).get("exception"));
        assertFalse(line.contains(HostileInputs.PASSWORD) || line.contains(HostileInputs.PIN), line);
    }

    @Test
    void eventLogLinesCarryTheEventAndTheirPairsInOrder() throws IOException {
        LoggerContext context = new LoggerContext();
        Logger logger = context.getLogger(JsonLog.class);
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        logger.addAppender(captured);
        logger.atInfo().addKeyValue("event", "started").addKeyValue("url", "https://127.0.0.1:8443")
                .addKeyValue("port", 8443).addKeyValue("password", HostileInputs.PASSWORD).log();
        String line = JsonLineEncoder.line(captured.list.get(0));
        assertTrue(line.endsWith("\"event\":\"started\",\"url\":\"https://127.0.0.1:8443\",\"port\":8443,"
                + "\"password\":\"[redacted]\"}"), line);
    }

    @Test
    void eventLogRefusesAnOddNumberOfKeyValues() {
        JsonLog log = new JsonLog(JsonLineEncoderTest.class);
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> log.warn("x", "key"));
    }

    private static Map<String, String> parse(String line) throws IOException {
        Map<String, String> fields = new LinkedHashMap<>();
        try (JsonParser p = new JsonFactory().createParser(line)) {
            assertEquals(JsonToken.START_OBJECT, p.nextToken(), line);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                fields.put(name, p.getValueAsString());
            }
            assertEquals(null, p.nextToken(), "one object per line: " + line);
        }
        return fields;
    }
}
