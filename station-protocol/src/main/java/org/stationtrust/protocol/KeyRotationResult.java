package org.stationtrust.protocol;

/** The rotation's answer: from now on only the key {@code keyId} is accepted. */
public record KeyRotationResult(String machineId, String keyId) {
    public KeyRotationResult {
        Fields.require("machineId", machineId);
        Fields.require("keyId", keyId);
    }
}
