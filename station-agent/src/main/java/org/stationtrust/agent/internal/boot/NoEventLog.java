package org.stationtrust.agent.internal.boot;

import java.util.Optional;

/** {@code tpm.event_log: none}: quotes go without a log (the server's policy decides what that means). */
public final class NoEventLog implements EventLogSource {
    @Override
    public Optional<byte[]> read() {
        return Optional.empty();
    }

    @Override
    public String describe() {
        return "none (tpm.event_log: none)";
    }
}
