package org.stationtrust.tpm.eventlog;

/**
 * Bounds on what the parser accepts, so that a hostile log costs at most this much memory and time.
 * A real firmware log is 10-100 KB with 50-2,000 events; the largest single event is the dbx variable
 * (a few tens of KB).
 *
 * @param maxLogBytes the whole log (default 1 MiB)
 * @param maxEvents events, the Spec ID event included
 * @param maxEventBytes one event's data
 * @param maxNesting depth of nested structures inside an event (Windows SIPA containers)
 */
public record EventLogLimits(int maxLogBytes, int maxEvents, int maxEventBytes, int maxNesting) {
    public static final EventLogLimits DEFAULT = new EventLogLimits(1 << 20, 16_384, 256 * 1024, 8);

    public EventLogLimits {
        if (maxLogBytes < 1 || maxEvents < 1 || maxEventBytes < 1 || maxNesting < 1) {
            throw new IllegalArgumentException("every event log limit must be positive, got " + maxLogBytes + "/"
                    + maxEvents + "/" + maxEventBytes + "/" + maxNesting);
        }
    }
}
