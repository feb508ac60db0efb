package org.stationtrust.agent.internal.boot;

/** The boot event log exists in principle but could not be read; the message says why and what to do. */
public final class EventLogUnreadable extends Exception {
    private static final long serialVersionUID = 1L;

    public EventLogUnreadable(String message) {
        super(message);
    }

    public EventLogUnreadable(String message, Throwable cause) {
        super(message, cause);
    }
}
