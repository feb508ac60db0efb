package org.stationtrust.agent.internal.boot;

import java.util.Optional;

/**
 * Where this machine's firmware boot event log comes from (docs/measured-boot.md): a file on Linux, TBS
 * on Windows, or nowhere. The log is sent with quotes; the server judges the boot by it.
 */
public interface EventLogSource {
    /** The largest log read; the server accepts no more either. */
    int MAX_BYTES = 1 << 20;

    /** The log's bytes, or empty when this source is configured to send none. */
    Optional<byte[]> read() throws EventLogUnreadable;

    /** Where the log is read from, for doctor and the audit log. */
    String describe();
}
