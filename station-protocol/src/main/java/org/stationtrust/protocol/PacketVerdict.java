package org.stationtrust.protocol;

/**
 * A packet that verifies: its signature holds with a key the machine enrolled ({@code keyStatus} current or
 * retired) and its payload is a capture packet of that machine. {@code machineState} and
 * {@code attestationStatus} say how the machine stands now, so that a reader sees a flagged machine's packet
 * for what it is.
 */
public record PacketVerdict(boolean valid, String machineId, String machineName, String keyId, String keyStatus,
                            EnrollmentState machineState, String attestationStatus, String packetId) {
    public PacketVerdict {
        Fields.require("machineId", machineId);
        if (machineState == null) throw new IllegalArgumentException("Field 'machineState' is required");
    }
}
