package org.stationtrust.server.internal.station;

import java.time.Duration;
import org.stationtrust.protocol.CapturePacket;
import org.stationtrust.protocol.EnrollmentState;
import org.stationtrust.protocol.ErrorCode;
import org.stationtrust.protocol.Es256Jws;
import org.stationtrust.protocol.InvalidCapturePacket;
import org.stationtrust.protocol.JwsType;
import org.stationtrust.protocol.MalformedJws;
import org.stationtrust.server.internal.http.ApiException;
import org.stationtrust.server.internal.store.AttestationStatus;
import org.stationtrust.server.internal.store.MachineStore;
import org.stationtrust.server.internal.store.StationMachine;

/**
 * Checks a capture packet (compact JWS, typ capture-packet+jws, kid = machine id) against the keys the
 * machine enrolled, and its payload against the capture-packet schema, whose machineId must be the kid. A
 * packet signed by a key retired by rotation still verifies, and says so; a revoked or never-approved
 * machine's packets do not. The verdict carries the machine's state and attestation status as they are now.
 */
public final class PacketVerifier {
    public static final int MAX_PACKET_CHARS = JwsType.CAPTURE_PACKET.maxChars();

    private final MachineStore machines;
    private final StationKeys keys;
    private final Duration attestationInterval;

    public PacketVerifier(MachineStore machines, StationKeys keys, Duration attestationInterval) {
        this.machines = machines;
        this.keys = keys;
        this.attestationInterval = attestationInterval;
    }

    /** A packet that verified, with how its machine stands now (attestationStatus OK, FAILED, OVERDUE, ...). */
    public record Verdict(String machineId, String machineName, String keyId, boolean currentKey,
                          EnrollmentState machineState, AttestationStatus attestationStatus, CapturePacket packet) {
    }

    public Verdict verify(String packet) {
        if (packet == null) throw new ApiException(ErrorCode.INVALID_FIELD, "Field 'packet' (compact JWS) is required");
        Es256Jws jws;
        CapturePacket payload;
        try {
            jws = Es256Jws.parse(packet, JwsType.CAPTURE_PACKET);
            payload = CapturePacket.parse(jws.payload());
        } catch (MalformedJws | InvalidCapturePacket e) {
            throw new ApiException(ErrorCode.PACKET_INVALID, "Not a capture packet: " + e.getMessage());
        }
        if (!payload.machineId().equals(jws.kid())) {
            throw new ApiException(ErrorCode.PACKET_INVALID, "The packet's machineId '" + payload.machineId()
                    + "' is not the machine that signed it (kid '" + jws.kid() + "')");
        }
        StationMachine m = machines.findStation(jws.kid()).orElseThrow(() -> new ApiException(ErrorCode.PACKET_INVALID,
                "The packet names machine '" + jws.kid() + "', which is not enrolled"));
        if (m.state() != EnrollmentState.ACTIVE) {
            throw new ApiException(ErrorCode.PACKET_INVALID, "Machine " + m.id() + " is " + m.state()
                    + "; its packets are not accepted");
        }
        for (MachineStore.MachineKey k : machines.keys(m.id())) {
            if (Es256.verify(keys.verificationKey(k), jws.signingInput(), jws.signature())) {
                boolean overdue = m.overdue(System.currentTimeMillis(), attestationInterval.toMillis());
                AttestationStatus attestation = m.attestationStatus().seen(overdue);
                return new Verdict(m.id(), m.name(), k.id(), k.retiredAt() == null, m.state(), attestation, payload);
            }
        }
        throw new ApiException(ErrorCode.PACKET_INVALID, "The packet signature does not verify with any key machine "
                + m.id() + " enrolled: it was altered or signed elsewhere");
    }
}
