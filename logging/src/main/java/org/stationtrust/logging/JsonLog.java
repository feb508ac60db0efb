package org.stationtrust.logging;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * An event log line: a short event name and key-value pairs, {@code log.info("started", "url", url)}. The pairs
 * travel as SLF4J key-value pairs; the program's {@link JsonLineEncoder} writes them as JSON fields after
 * {@link Redaction}, so a value under a sensitive key never reaches the line whatever the caller passes.
 */
public final class JsonLog {
    private final Logger logger;

    public JsonLog(Class<?> owner) {
        this.logger = LoggerFactory.getLogger(owner);
    }

    public void info(String event, Object... keyValues) {
        if (logger.isInfoEnabled()) {
            log(logger.atInfo(), event, keyValues);
        }
    }

    /** A detail line (per exchange, per capture), written only where the program's configuration asks for debug. */
    public void debug(String event, Object... keyValues) {
        if (logger.isDebugEnabled()) {
            log(logger.atDebug(), event, keyValues);
        }
    }

    public void warn(String event, Object... keyValues) {
        log(logger.atWarn(), event, keyValues);
    }

    public void error(String event, Object... keyValues) {
        log(logger.atError(), event, keyValues);
    }

    private static void log(LoggingEventBuilder builder, String event, Object... keyValues) {
        if (keyValues.length % 2 != 0) {
            throw new IllegalArgumentException("key/value pairs expected, got " + keyValues.length + " values");
        }
        builder.addKeyValue("event", event);
        for (int i = 0; i < keyValues.length; i += 2) {
            builder.addKeyValue(String.valueOf(keyValues[i]), keyValues[i + 1]);
        }
        builder.log();
    }
}
