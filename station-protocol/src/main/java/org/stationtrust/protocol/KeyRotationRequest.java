package org.stationtrust.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * {@code POST /api/v1/stations/key-rotation}, signed by the old key: the new machine key's TPMT_PUBLIC certified by
 * the AK with the key-rotation nonce as qualifying data.
 */
public record KeyRotationRequest(@JsonProperty(value = "nonce", required = true) String nonce,
                                 @JsonProperty(value = "machineKeyPublic", required = true) String machineKeyPublic,
                                 @JsonProperty(value = "certifyInfo", required = true) String certifyInfo,
                                 @JsonProperty(value = "certifySignature", required = true) String certifySignature) {
    public KeyRotationRequest {
        if (nonce == null || machineKeyPublic == null || certifyInfo == null || certifySignature == null) {
            throw new IllegalArgumentException("nonce, machineKeyPublic, certifyInfo and certifySignature are required");
        }
    }
}
