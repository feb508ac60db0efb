package org.stationtrust.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/**
 * One event of a station's own audit log as it travels to the server (docs/server-api.md, "Station audit events"):
 * the station's id for it ({@code <seq>-<hash prefix>}, kept across resends), when it happened (ISO-8601 instant),
 * its name, and its fields (already redacted by the station; a JSON object, at most {@value #MAX_FIELDS_CHARS}
 * characters as compact JSON). Absent fields read as an empty object.
 */
public record StationAuditEvent(@JsonProperty(value = "eventId", required = true) String eventId,
                                @JsonProperty(value = "time", required = true) String time,
                                @JsonProperty(value = "event", required = true) String event,
                                @JsonProperty("fields") ObjectNode fields) {
    /** Longest {@code fields}, counted as characters of its compact JSON. */
    public static final int MAX_FIELDS_CHARS = 4096;
    private static final Pattern EVENT = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    public StationAuditEvent {
        Fields.requireId("eventId", eventId);
        if (time == null || time.length() > 40) {
            throw new IllegalArgumentException("Field 'time' (ISO-8601 instant) is required");
        }
        try {
            Instant.parse(time);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("Field 'time' must be an ISO-8601 instant such as 2026-11-25T09:00:00Z");
        }
        if (event == null || !EVENT.matcher(event).matches()) {
            throw new IllegalArgumentException("Field 'event' must be 1-64 characters of A-Z a-z 0-9 _ . -");
        }
        fields = fields == null ? WireJson.strict().createObjectNode() : fields.deepCopy();
        if (fields.toString().length() > MAX_FIELDS_CHARS) {
            throw new IllegalArgumentException("Field 'fields' of event " + eventId + " is longer than "
                    + MAX_FIELDS_CHARS + " characters");
        }
    }

    /** A copy: the record is immutable, its JSON tree is not. */
    @Override
    public ObjectNode fields() {
        return fields.deepCopy();
    }

    /** Whether a JSON tree may be an event's fields (an object); for senders deciding what to send. */
    public static boolean fitsAsFields(JsonNode node) {
        return node != null && node.isObject() && node.toString().length() <= MAX_FIELDS_CHARS;
    }
}
