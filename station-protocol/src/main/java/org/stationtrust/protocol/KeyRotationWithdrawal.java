package org.stationtrust.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * {@code POST /api/v1/stations/key-rotation/withdrawal}, signed by the key the station signs with now: the
 * {@code key-rotation} nonce, as issued, of a rotation whose answer was lost. Once the server answers, no rotation
 * request carrying that nonce can take effect any more (docs/server-api.md, "Withdrawing a rotation").
 */
public record KeyRotationWithdrawal(@JsonProperty(value = "nonce", required = true) String nonce) {
    /** Generous for the 44 base64 characters of a 32-byte nonce; the server decodes and checks it. */
    private static final int MAX_NONCE_CHARS = 128;

    public KeyRotationWithdrawal {
        Fields.requireText("nonce", nonce, MAX_NONCE_CHARS);
    }
}
