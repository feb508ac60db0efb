package org.stationtrust.server.internal.station;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.List;
import org.stationtrust.server.internal.auth.Secrets;
import org.stationtrust.server.internal.store.StationAuditStore.StationEvent;

/** A batch of audit events a station sends from its own log, validated at the edge (sizes, names, shapes). */
public record StationAuditBatch(List<Event> events) {
    public static final int MAX_EVENTS = 100;
    static final int MAX_FIELDS_CHARS = 4096;

    public StationAuditBatch {
        if (events == null || events.isEmpty() || events.size() > MAX_EVENTS) {
            throw new IllegalArgumentException("events must hold 1.." + MAX_EVENTS + " events, got "
                    + (events == null ? "none" : events.size()));
        }
        for (Event e : events) if (e == null) throw new IllegalArgumentException("events must not contain null");
        events = List.copyOf(events);
    }

    /** One event: the station's id for it, its time (ISO-8601 instant), its name, and its (redacted) fields. */
    public record Event(String eventId, String time, String event, JsonNode fields) {
        public Event {
            if (eventId == null || !eventId.matches("[A-Za-z0-9_.:-]{1,64}")) {
                throw new IllegalArgumentException("eventId must be 1-64 characters of A-Z a-z 0-9 _ . : -");
            }
            if (time == null || time.length() > 40) throw new IllegalArgumentException("time (ISO-8601 instant) is required");
            try {
                Instant.parse(time);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("time must be an ISO-8601 instant such as 2026-11-25T09:00:00Z");
            }
            if (event == null || !event.matches("[A-Za-z0-9_.-]{1,64}")) {
                throw new IllegalArgumentException("event must be 1-64 characters of A-Z a-z 0-9 _ . -");
            }
            if (fields != null && !fields.isObject()) throw new IllegalArgumentException("fields must be a JSON object");
            if (fields != null && fields.toString().length() > MAX_FIELDS_CHARS) {
                throw new IllegalArgumentException("fields of event " + eventId + " are longer than " + MAX_FIELDS_CHARS
                        + " characters");
            }
        }

        /** The stored form, with a digest over everything sent, so a resend with other content is told apart. */
        public StationEvent stored() {
            String json;
            try {
                json = fields == null ? "{}" : org.stationtrust.protocol.WireJson.strict().writeValueAsString(fields);
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("fields cannot be written back as JSON", e);
            }
            String digest = HexFormat.of().formatHex(Secrets.sha256((eventId + "\n" + time + "\n" + event + "\n" + json)
                    .getBytes(StandardCharsets.UTF_8)));
            return new StationEvent(eventId, time, event, json, digest);
        }
    }
}
