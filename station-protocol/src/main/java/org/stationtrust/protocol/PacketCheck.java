package org.stationtrust.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code POST /api/v1/packets/verify} body. */
public record PacketCheck(@JsonProperty(value = "packet", required = true) String packet) {
    public PacketCheck {
        if (packet == null) throw new IllegalArgumentException("Field 'packet' (compact JWS) is required");
    }
}
