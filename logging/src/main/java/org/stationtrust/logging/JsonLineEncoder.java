package org.stationtrust.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.encoder.EncoderBase;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;
import org.slf4j.event.KeyValuePair;

/**
 * The one log line format of every station-trust program: one JSON object per line,
 * {@code {"ts","level","logger", <key-value pairs>, "msg", "exception"}}, every value passed through
 * {@link Redaction}. Each program's {@code logback.xml} names this encoder for every appender.
 *
 * <ul>
 *   <li>{@code ts}: ISO-8601 UTC; {@code level}: lowercase; {@code logger}: the class's simple name.</li>
 *   <li>Key-value pairs (SLF4J 2 {@code addKeyValue}, {@link JsonLog}) in the order given, each through
 *       {@link Redaction#value}: a sensitive key's value is {@value Redaction#REDACTED}.</li>
 *   <li>{@code msg}: the formatted message, {@link Redaction#scrub scrubbed}; left out when empty.</li>
 *   <li>{@code exception}: the class names of the cause chain only. Messages and stack traces are left out: an
 *       exception message can quote request or device data.</li>
 * </ul>
 */
public final class JsonLineEncoder extends EncoderBase<ILoggingEvent> {
    private static final JsonFactory JSON = new JsonFactory();
    private static final int MAX_CAUSES = 8;

    @Override
    public byte[] headerBytes() {
        return null;
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        ByteArrayOutputStream out = write(event);
        out.write('\n');
        return out.toByteArray();
    }

    @Override
    public byte[] footerBytes() {
        return null;
    }

    /** The line for {@code event}, without the newline: what a test compares. */
    public static String line(ILoggingEvent event) {
        return write(event).toString(StandardCharsets.UTF_8);
    }

    private static ByteArrayOutputStream write(ILoggingEvent event) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("ts", Instant.ofEpochMilli(event.getTimeStamp()).toString());
            g.writeStringField("level", event.getLevel().toString().toLowerCase(Locale.ROOT));
            g.writeStringField("logger", simpleName(event.getLoggerName()));
            if (event.getKeyValuePairs() != null) {
                for (KeyValuePair kv : event.getKeyValuePairs()) {
                    writeValue(g, kv.key, Redaction.value(kv.key, kv.value));
                }
            }
            String message = event.getFormattedMessage();
            if (message != null && !message.isEmpty()) {
                g.writeStringField("msg", Redaction.scrub(message));
            }
            IThrowableProxy thrown = event.getThrowableProxy();
            if (thrown != null) {
                g.writeStringField("exception", causeChain(thrown));
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("a log line could not be written as JSON", e);
        }
        return out;
    }

    private static void writeValue(JsonGenerator g, String key, Object value) throws IOException {
        g.writeFieldName(key == null ? "null" : key);
        if (value == null) {
            g.writeNull();
        } else if (value instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            g.writeNumber(((Number) value).longValue());
        } else if (value instanceof Number n) {
            g.writeNumber(n.doubleValue());
        } else {
            g.writeString(value.toString());
        }
    }

    private static String causeChain(IThrowableProxy thrown) {
        StringBuilder chain = new StringBuilder(thrown.getClassName());
        IThrowableProxy cause = thrown.getCause();
        for (int i = 0; cause != null && i < MAX_CAUSES; i++, cause = cause.getCause()) {
            chain.append(" <- ").append(cause.getClassName());
        }
        return chain.toString();
    }

    private static String simpleName(String loggerName) {
        if (loggerName == null) {
            return "";
        }
        int dot = loggerName.lastIndexOf('.');
        return dot < 0 ? loggerName : loggerName.substring(dot + 1);
    }
}
