package org.stationtrust.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The withdrawal's answer ({@code 200}): whichever {@link Outcome}, no rotation request carrying the nonce can take
 * effect any more, and {@code keyId} (the key that signed the withdrawal) stays the machine's current key.
 */
public record KeyRotationWithdrawn(String machineId, String keyId, Outcome outcome) {
    public KeyRotationWithdrawn {
        Fields.require("machineId", machineId);
        Fields.require("keyId", keyId);
        if (outcome == null) throw new IllegalArgumentException("Field 'outcome' is required");
    }

    /** Why the nonce can no longer rotate the key. */
    public enum Outcome {
        /** The nonce was unspent and is spent now, by this withdrawal. */
        WITHDRAWN("withdrawn"),
        /** An earlier withdrawal spent it already (a retry whose first answer was lost). */
        ALREADY_WITHDRAWN("already-withdrawn"),
        /** The nonce had expired: a rotation with it is refused anyway; it is spent now all the same. */
        EXPIRED("expired");

        private final String wire;

        Outcome(String wire) {
            this.wire = wire;
        }

        @JsonValue
        public String wire() {
            return wire;
        }

        /** The outcome named {@code wire}; anything else is refused. */
        @JsonCreator
        public static Outcome fromWire(String wire) {
            for (Outcome o : values()) {
                if (o.wire.equals(wire)) return o;
            }
            throw new IllegalArgumentException("outcome must be 'withdrawn', 'already-withdrawn' or 'expired', was '"
                    + Fields.clip(wire) + "'");
        }
    }
}
