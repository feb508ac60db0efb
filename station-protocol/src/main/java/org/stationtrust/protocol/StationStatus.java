package org.stationtrust.protocol;

/** {@code GET /api/v1/stations/me}: the machine as the server sees it, and the key that signed this request. */
public record StationStatus(String machineId, String machineName, EnrollmentState state, String attestationStatus,
                            String keyId, long attestationIntervalSeconds) {
    public StationStatus {
        Fields.require("machineId", machineId);
        if (state == null) throw new IllegalArgumentException("Field 'state' is required");
        Fields.require("keyId", keyId);
    }
}
