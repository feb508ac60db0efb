package org.stationtrust.agent.internal.boot;

import java.nio.file.Path;
import org.stationtrust.agent.AgentConfig;

/** The source {@code tpm.event_log} names: {@code none}, {@code tbs}, or a file path. */
public final class EventLogSources {
    private EventLogSources() {
    }

    public static EventLogSource of(AgentConfig config) {
        String setting = config.tpm().eventLog();
        if (setting.equals("none")) {
            return new NoEventLog();
        }
        if (setting.equals("tbs")) {
            return TbsEventLog.windows();
        }
        return new EventLogFile(Path.of(setting));
    }
}
