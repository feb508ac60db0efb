package org.stationtrust.server.internal.station;

import org.stationtrust.server.EnrollmentState;
import org.stationtrust.server.internal.http.ApiException;
import org.stationtrust.server.internal.http.ErrorCode;
import org.stationtrust.server.internal.store.Machine;
import org.stationtrust.server.internal.store.MachineStore;

/**
 * Checks a capture packet (compact JWS, typ capture-packet+jws, kid = machine id) against the keys the
 * machine enrolled. A packet signed by a key retired by rotation still verifies, and says so; a revoked
 * or never-approved machine's packets do not.
 */
public final class PacketVerifier {
    public static final String TYP = "capture-packet+jws";
    public static final int MAX_PACKET_CHARS = 8 * 1024 * 1024;

    private final MachineStore machines;
    private final StationKeys keys;

    public PacketVerifier(MachineStore machines, StationKeys keys) {
        this.machines = machines;
        this.keys = keys;
    }

    public record Verdict(String machineId, String machineName, String keyId, boolean currentKey) {
    }

    public Verdict verify(String packet) {
        if (packet == null) throw new ApiException(ErrorCode.INVALID_FIELD, "Field 'packet' (compact JWS) is required");
        CompactJws jws = CompactJws.parse(packet, MAX_PACKET_CHARS, TYP, ErrorCode.PACKET_INVALID);
        Machine m = machines.find(jws.kid()).orElseThrow(() -> new ApiException(ErrorCode.PACKET_INVALID,
                "The packet names machine '" + jws.kid() + "', which is not enrolled"));
        if (m.state() != EnrollmentState.ACTIVE) {
            throw new ApiException(ErrorCode.PACKET_INVALID, "Machine " + m.id() + " is " + m.state()
                    + "; its packets are not accepted");
        }
        for (MachineStore.MachineKey k : machines.keys(m.id())) {
            if (jws.verifies(keys.verificationKey(k))) return new Verdict(m.id(), m.name(), k.id(), k.retiredAt() == null);
        }
        throw new ApiException(ErrorCode.PACKET_INVALID, "The packet signature does not verify with any key machine "
                + m.id() + " enrolled: it was altered or signed elsewhere");
    }
}
