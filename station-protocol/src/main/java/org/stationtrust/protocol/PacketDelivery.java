package org.stationtrust.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code POST /api/v1/packets}: a capture packet the station signed, under its packet id. */
public record PacketDelivery(@JsonProperty(value = "packetId", required = true) String packetId,
                             @JsonProperty(value = "packet", required = true) String packet) {
    public PacketDelivery {
        Fields.requireId("packetId", packetId);
        if (packet == null) throw new IllegalArgumentException("packet (compact JWS) is required");
    }
}
