package org.stationtrust.server.internal.enroll;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.SortedMap;
import org.stationtrust.protocol.EnrollmentState;
import org.stationtrust.protocol.ErrorCode;
import org.stationtrust.server.Role;
import org.stationtrust.server.internal.attest.PcrMap;
import org.stationtrust.server.internal.audit.AuditLog;
import org.stationtrust.server.internal.auth.Caller;
import org.stationtrust.server.internal.http.ApiException;
import org.stationtrust.server.internal.notify.FleetEvent;
import org.stationtrust.server.internal.notify.FleetEventType;
import org.stationtrust.server.internal.notify.FleetEvents;
import org.stationtrust.server.internal.store.Database;
import org.stationtrust.server.internal.store.Machine;
import org.stationtrust.server.internal.store.MachineStore;

/** Operator decisions on machines: approve, reject, revoke, golden PCRs. Each is one audited transaction. */
public final class ApprovalWorkflow {
    private final Database db;
    private final MachineStore machines;
    private final AuditLog audit;
    private final FleetEvents events;

    public ApprovalWorkflow(Database db, MachineStore machines, AuditLog audit, FleetEvents events) {
        this.events = events;
        this.db = db;
        this.machines = machines;
        this.audit = audit;
    }

    public static String requireReason(String reason) {
        if (reason == null || reason.strip().length() < 3) {
            throw new ApiException(ErrorCode.INVALID_FIELD, "A reason of at least 3 characters is required");
        }
        if (reason.length() > 500) throw new ApiException(ErrorCode.INVALID_FIELD, "Reason is longer than 500 characters");
        return reason.strip();
    }

    /**
     * PENDING_APPROVAL → ACTIVE, recording the first quote's PCRs as the baseline. An enrollment whose EK
     * could not be verified needs an admin. A re-enrollment revokes the machine it replaces.
     */
    public Machine approve(Caller caller, String machineId, String reason) {
        String why = requireReason(reason);
        return db.inTransaction(c -> {
            Machine m = load(c, machineId);
            if (!m.ekVerified() && !caller.role().includes(Role.ADMIN)) {
                throw new ApiException(ErrorCode.FORBIDDEN, "This enrollment's EK is unverified (no EK certificate "
                        + "chained to a trusted TPM manufacturer): only an admin may approve it");
            }
            requireTransition(c, m, EnrollmentState.PENDING_APPROVAL, EnrollmentState.ACTIVE);
            machines.recordDecision(c, m.id(), caller.username(), why, m.firstQuotePcrs());
            audit.append(c, caller.username(), "enrollment.approve", m.id(), "OK", "machine '" + m.name() + "'"
                    + (m.ekVerified() ? "" : " (EK unverified)") + ": " + why);
            events.emit(c, FleetEvent.of(FleetEventType.MACHINE_APPROVED, m.id(), m.name(), "approved by "
                    + caller.username() + ": " + why));
            if (m.replacesMachine() != null) {
                Machine old = machines.find(c, m.replacesMachine()).orElse(null);
                if (old != null && machines.transition(c, old.id(), EnrollmentState.ACTIVE, EnrollmentState.REVOKED)) {
                    machines.recordRevocation(c, old.id(), caller.username(), "superseded by re-enrollment " + m.id());
                    audit.append(c, caller.username(), "machine.revoke", old.id(), "OK",
                            "superseded by re-enrollment " + m.id());
                    events.emit(c, FleetEvent.of(FleetEventType.MACHINE_REVOKED, old.id(), old.name(),
                            "superseded by re-enrollment " + m.id()));
                }
            }
            return machines.find(c, m.id()).orElseThrow();
        });
    }

    public Machine reject(Caller caller, String machineId, String reason) {
        String why = requireReason(reason);
        return db.inTransaction(c -> {
            Machine m = load(c, machineId);
            if (m.state() != EnrollmentState.PENDING_APPROVAL && m.state() != EnrollmentState.PENDING_ACTIVATION) {
                throw notPending(m);
            }
            requireTransition(c, m, m.state(), EnrollmentState.REJECTED);
            machines.recordDecision(c, m.id(), caller.username(), why, null);
            audit.append(c, caller.username(), "enrollment.reject", m.id(), "OK", "machine '" + m.name() + "': " + why);
            events.emit(c, FleetEvent.of(FleetEventType.MACHINE_REJECTED, m.id(), m.name(), "rejected by "
                    + caller.username() + ": " + why));
            return machines.find(c, m.id()).orElseThrow();
        });
    }

    public Machine revoke(Caller caller, String machineId, String reason) {
        String why = requireReason(reason);
        return db.inTransaction(c -> {
            Machine m = load(c, machineId);
            requireTransition(c, m, EnrollmentState.ACTIVE, EnrollmentState.REVOKED);
            machines.recordRevocation(c, m.id(), caller.username(), why);
            audit.append(c, caller.username(), "machine.revoke", m.id(), "OK", "machine '" + m.name() + "': " + why);
            events.emit(c, FleetEvent.of(FleetEventType.MACHINE_REVOKED, m.id(), m.name(), "revoked by "
                    + caller.username() + ": " + why));
            return machines.find(c, m.id()).orElseThrow();
        });
    }

    public Machine setGoldenPcrs(Caller caller, String machineId, SortedMap<Integer, byte[]> golden, String reason) {
        String why = requireReason(reason);
        return db.inTransaction(c -> {
            Machine m = load(c, machineId);
            machines.setGoldenPcrs(c, m.id(), PcrMap.toJson(golden));
            audit.append(c, caller.username(), "machine.golden_pcrs", m.id(), "OK", "PCRs " + golden.keySet() + ": "
                    + why);
            return machines.find(c, m.id()).orElseThrow();
        });
    }

    private Machine load(Connection c, String id) throws SQLException {
        if (id == null || id.length() > 40) throw new ApiException(ErrorCode.NOT_FOUND, "No such machine");
        return machines.find(c, id).orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND, "No machine with id '"
                + id + "'"));
    }

    private void requireTransition(Connection c, Machine m, EnrollmentState from, EnrollmentState to)
            throws SQLException {
        if (m.state() != from || !machines.transition(c, m.id(), from, to)) {
            throw new ApiException(ErrorCode.ENROLLMENT_NOT_PENDING, "Machine " + m.id() + " is " + m.state()
                    + "; this action needs it to be " + from);
        }
    }

    private static ApiException notPending(Machine m) {
        return new ApiException(ErrorCode.ENROLLMENT_NOT_PENDING, "Machine " + m.id() + " is " + m.state()
                + "; only pending enrollments can be rejected");
    }
}
