package org.stationtrust.protocol;

/** A fresh single-use nonce ({@code 201}): opaque to the station, quoted or certified as it is. */
public record NonceIssued(String nonce, NoncePurpose purpose, String expiresAt) {
    public NonceIssued {
        Fields.require("nonce", nonce);
        if (purpose == null) throw new IllegalArgumentException("Field 'purpose' is required");
    }
}
