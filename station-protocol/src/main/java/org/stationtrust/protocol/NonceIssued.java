package org.stationtrust.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A fresh single-use nonce ({@code 201}): opaque to the station, quoted or certified as it is. For a quote nonce,
 * {@code eventLogSha256} is the digest of the boot event log the server holds for the machine (absent: none), so a
 * station whose log is unchanged sends only that digest.
 */
public record NonceIssued(String nonce, NoncePurpose purpose, String expiresAt,
                          @JsonInclude(JsonInclude.Include.NON_NULL) String eventLogSha256) {
    public NonceIssued {
        Fields.require("nonce", nonce);
        if (purpose == null) throw new IllegalArgumentException("Field 'purpose' is required");
    }
}
