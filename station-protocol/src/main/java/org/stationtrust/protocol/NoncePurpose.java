package org.stationtrust.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** What an attestation nonce may be used for; bound into the nonce by the server. */
public enum NoncePurpose {
    QUOTE("quote"), KEY_ROTATION("key-rotation");

    private final String wire;

    NoncePurpose(String wire) {
        this.wire = wire;
    }

    @JsonValue
    public String wire() {
        return wire;
    }

    /** The purpose named {@code wire}; anything else is refused. */
    @JsonCreator
    public static NoncePurpose fromWire(String wire) {
        for (NoncePurpose p : values()) {
            if (p.wire.equals(wire)) return p;
        }
        throw new IllegalArgumentException("purpose must be 'quote' or 'key-rotation', was '" + Fields.clip(wire) + "'");
    }
}
