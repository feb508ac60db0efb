package org.stationtrust.agent;

import java.nio.file.Path;
import java.time.Clock;
import org.stationtrust.agent.internal.service.AgentStartFailure;
import org.stationtrust.agent.internal.service.RunningAgent;

/**
 * The station agent as a service: {@link #start(AgentConfig)} brings up identity, queue, devices and the
 * local API; {@link #close()} stops them. {@code station-agent run} is this plus waiting for SIGTERM.
 */
public final class StationAgent implements AutoCloseable {
    private final RunningAgent running;

    private StationAgent(RunningAgent running) {
        this.running = running;
    }

    /** Starts the agent or explains why it cannot (TPM unreachable, state directory unusable, ...). */
    public static StationAgent start(AgentConfig config) throws CannotStart {
        try {
            return new StationAgent(RunningAgent.start(config, Clock.systemUTC()));
        } catch (AgentStartFailure e) {
            throw new CannotStart(e.getMessage(), e);
        }
    }

    /** The port of the local API on 127.0.0.1. */
    public int apiPort() {
        return running.apiPort();
    }

    /** The file holding the local API's bearer token (0600). */
    public Path apiTokenFile() {
        return running.stateDirectory().resolve(org.stationtrust.agent.internal.api.ApiToken.FILE_NAME);
    }

    @Override
    public void close() {
        running.close();
    }

    /** The agent cannot start; the message says why and what to do. */
    public static final class CannotStart extends Exception {
        private static final long serialVersionUID = 1L;

        CannotStart(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
