package org.stationtrust.agent.internal.service;

import java.net.http.HttpClient;
import java.time.Clock;
import org.stationtrust.agent.AgentConfig;
import org.stationtrust.agent.internal.audit.AuditLog;
import org.stationtrust.agent.internal.config.StateDirectory;

/** Enrollment and attestation with the server, in the background (filled in as the server API lands). */
public final class ServerSession implements AutoCloseable {
    private ServerSession() {
    }

    static ServerSession start(AgentConfig config, HttpClient http, StationIdentity identity, StateDirectory state,
                               AuditLog audit, Clock clock) {
        return new ServerSession();
    }

    @Override
    public void close() {
    }
}
