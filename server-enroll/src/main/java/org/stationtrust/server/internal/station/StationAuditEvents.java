package org.stationtrust.server.internal.station;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.stationtrust.protocol.StationAuditEvent;
import org.stationtrust.protocol.WireJson;
import org.stationtrust.server.internal.auth.Secrets;
import org.stationtrust.server.internal.store.StationAuditStore.StationEvent;

/** What the server keeps of a station's audit event (the wire record is station-protocol's {@link StationAuditEvent}). */
public final class StationAuditEvents {
    private StationAuditEvents() {
    }

    /** The stored form, with a digest over everything sent, so a resend with other content is told apart. */
    public static StationEvent stored(StationAuditEvent e) {
        String json;
        try {
            json = WireJson.strict().writeValueAsString(e.fields());
        } catch (JsonProcessingException x) {
            throw new IllegalArgumentException("fields cannot be written back as JSON", x);
        }
        String digest = HexFormat.of().formatHex(Secrets.sha256((e.eventId() + "\n" + e.time() + "\n" + e.event() + "\n"
                + json).getBytes(StandardCharsets.UTF_8)));
        return new StationEvent(e.eventId(), e.time(), e.event(), json, digest);
    }
}
