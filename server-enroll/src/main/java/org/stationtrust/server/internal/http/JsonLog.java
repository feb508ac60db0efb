package org.stationtrust.server.internal.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Structured JSON log lines; every field passes through {@link Redaction} first. */
public final class JsonLog {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final Logger logger;

    public JsonLog(Class<?> owner) {
        this.logger = LoggerFactory.getLogger(owner);
    }

    public void info(String event, Object... keyValues) {
        if (logger.isInfoEnabled()) logger.info(line("info", event, keyValues));
    }

    public void warn(String event, Object... keyValues) {
        logger.warn(line("warn", event, keyValues));
    }

    public void error(String event, Object... keyValues) {
        logger.error(line("error", event, keyValues));
    }

    /** Builds the JSON line; public so the redaction test can see exactly what would be written. */
    public static String line(String level, String event, Object... keyValues) {
        if (keyValues.length % 2 != 0) throw new IllegalArgumentException("key/value pairs expected");
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ts", Instant.now().toString());
        m.put("level", level);
        m.put("event", event);
        for (int i = 0; i < keyValues.length; i += 2) {
            String key = String.valueOf(keyValues[i]);
            Object v = keyValues[i + 1];
            m.put(key, v instanceof Number || v instanceof Boolean ? v : Redaction.value(key, v));
        }
        try {
            return MAPPER.writeValueAsString(m);
        } catch (JsonProcessingException e) {
            return "{\"level\":\"error\",\"event\":\"log_encoding_failed\"}";
        }
    }
}
