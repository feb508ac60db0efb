package org.stationtrust.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * {@code POST /api/v1/stations/audit-events}: 1 to {@value #MAX_EVENTS} events of the station's audit log, in log
 * order. The server stores each once per (machine, eventId); a batch holding an id it knows with other content is
 * refused whole (409), so the station splits it.
 */
public record StationAuditBatch(@JsonProperty(value = "events", required = true) List<StationAuditEvent> events) {
    public static final int MAX_EVENTS = 100;

    public StationAuditBatch {
        if (events == null || events.isEmpty() || events.size() > MAX_EVENTS) {
            throw new IllegalArgumentException("Field 'events' must hold 1.." + MAX_EVENTS + " events, got "
                    + (events == null ? "none" : events.size()));
        }
        for (StationAuditEvent e : events) {
            if (e == null) throw new IllegalArgumentException("Field 'events' must not contain null");
        }
        events = List.copyOf(events);
    }
}
