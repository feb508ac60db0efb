package org.stationtrust.agent.internal.service;

/** The agent cannot start; the message names the cause and the fix. */
public final class AgentStartFailure extends Exception {
    private static final long serialVersionUID = 1L;

    public AgentStartFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
