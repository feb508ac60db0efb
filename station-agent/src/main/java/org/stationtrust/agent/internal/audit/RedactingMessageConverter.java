package org.stationtrust.agent.internal.audit;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/** Logback {@code %redactedMessage}: every log line passes through {@link Redaction#scrub(String)}. */
public final class RedactingMessageConverter extends ClassicConverter {
    @Override
    public String convert(ILoggingEvent event) {
        return Redaction.scrub(event.getFormattedMessage());
    }
}
