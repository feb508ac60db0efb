package org.stationtrust.server.internal.enroll;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.SortedMap;
import org.stationtrust.server.internal.audit.DecisionReason;
import org.stationtrust.protocol.EnrollmentState;
import org.stationtrust.protocol.ErrorCode;
import org.stationtrust.server.Role;
import org.stationtrust.server.internal.audit.AuditOutcome;
import org.stationtrust.server.internal.pcr.PcrMap;
import org.stationtrust.server.internal.audit.AuditLog;
import org.stationtrust.server.internal.auth.Caller;
import org.stationtrust.server.internal.http.ApiException;
import org.stationtrust.server.internal.notify.FleetEvent;
import org.stationtrust.server.internal.notify.FleetEventType;
import org.stationtrust.server.internal.notify.FleetEvents;
import org.stationtrust.server.internal.store.Database;
import org.stationtrust.server.internal.store.MachineDetail;
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


    /**
     * PENDING_APPROVAL → ACTIVE, recording the first quote's PCRs as the baseline. An enrollment whose EK
     * could not be verified needs an admin. A re-enrollment revokes the machine it replaces.
     */
    public MachineDetail approve(Caller caller, String machineId, String reason) {
        String why = DecisionReason.require(reason);
        return db.inTransaction(c -> approve(c, caller, load(c, machineId), why));
    }

    private MachineDetail approve(Connection c, Caller caller, MachineDetail m, String why) throws SQLException {
        {
            if (!m.ek().verified() && !caller.role().includes(Role.ADMIN)) {
                throw new ApiException(ErrorCode.FORBIDDEN, "This enrollment's EK is unverified (no EK certificate "
                        + "chained to a trusted TPM manufacturer): only an admin may approve it");
            }
            requireTransition(c, m, EnrollmentState.PENDING_APPROVAL, EnrollmentState.ACTIVE);
            machines.recordDecision(c, m.id(), caller.username(), why, m.pcrs().firstQuote());
            audit.append(c, caller.username(), "enrollment.approve", m.id(), AuditOutcome.OK,
                    "machine '" + m.name() + "'"
                    + (m.ek().verified() ? "" : " (EK unverified)") + ": " + why);
            events.emit(c, FleetEvent.of(FleetEventType.MACHINE_APPROVED, m.id(), m.name(), "approved by "
                    + caller.username() + ": " + why));
            if (m.origin().replacesMachine() != null) {
                MachineDetail old = machines.find(c, m.origin().replacesMachine()).orElse(null);
                if (old != null && machines.transition(c, old.id(), EnrollmentState.ACTIVE, EnrollmentState.REVOKED)) {
                    machines.recordRevocation(c, old.id(), caller.username(), "superseded by re-enrollment " + m.id());
                    audit.append(c, caller.username(), "machine.revoke", old.id(), AuditOutcome.OK,
                            "superseded by re-enrollment " + m.id());
                    events.emit(c, FleetEvent.of(FleetEventType.MACHINE_REVOKED, old.id(), old.name(),
                            "superseded by re-enrollment " + m.id()));
                }
            }
            return machines.find(c, m.id()).orElseThrow();
        }
    }

    public MachineDetail reject(Caller caller, String machineId, String reason) {
        String why = DecisionReason.require(reason);
        return db.inTransaction(c -> reject(c, caller, load(c, machineId), why));
    }

    private MachineDetail reject(Connection c, Caller caller, MachineDetail m, String why) throws SQLException {
        {
            if (m.state() != EnrollmentState.PENDING_APPROVAL && m.state() != EnrollmentState.PENDING_ACTIVATION) {
                throw notPending(m);
            }
            requireTransition(c, m, m.state(), EnrollmentState.REJECTED);
            machines.recordDecision(c, m.id(), caller.username(), why, null);
            audit.append(c, caller.username(), "enrollment.reject", m.id(), AuditOutcome.OK,
                    "machine '" + m.name() + "': " + why);
            events.emit(c, FleetEvent.of(FleetEventType.MACHINE_REJECTED, m.id(), m.name(), "rejected by "
                    + caller.username() + ": " + why));
            return machines.find(c, m.id()).orElseThrow();
        }
    }

    public MachineDetail revoke(Caller caller, String machineId, String reason) {
        String why = DecisionReason.require(reason);
        return db.inTransaction(c -> revoke(c, caller, load(c, machineId), why));
    }

    private MachineDetail revoke(Connection c, Caller caller, MachineDetail m, String why) throws SQLException {
        {
            requireTransition(c, m, EnrollmentState.ACTIVE, EnrollmentState.REVOKED);
            machines.recordRevocation(c, m.id(), caller.username(), why);
            audit.append(c, caller.username(), "machine.revoke", m.id(), AuditOutcome.OK,
                    "machine '" + m.name() + "': " + why);
            events.emit(c, FleetEvent.of(FleetEventType.MACHINE_REVOKED, m.id(), m.name(), "revoked by "
                    + caller.username() + ": " + why));
            return machines.find(c, m.id()).orElseThrow();
        }
    }

    /** A decision the console applies to a batch of machines. */
    public enum Decision {
        APPROVE(Role.APPROVER), REJECT(Role.APPROVER), REVOKE(Role.ADMIN);

        private final Role role;

        Decision(Role role) {
            this.role = role;
        }

        public Role role() {
            return role;
        }
    }

    /** A batch member as the operator saw it: its id and the state the page showed. */
    public record Seen(String machineId, EnrollmentState state) {
    }

    /** How many machines one batch may hold. */
    public static final int MAX_BATCH = 500;

    /**
     * Applies one decision to every machine of a batch in one transaction, each judged and audited on its own (the
     * same checks, audit row and notification as a single decision). The batch is refused as a whole, and nothing
     * is changed, when any member is no longer in the state the operator saw or any member's decision is refused.
     */
    public java.util.List<MachineDetail> decideBatch(Caller caller, Decision decision, java.util.List<Seen> batch,
                                               String reason) {
        String why = DecisionReason.require(reason);
        if (!caller.role().includes(decision.role())) {
            throw new ApiException(ErrorCode.FORBIDDEN, "Deciding '" + decision.name().toLowerCase(java.util.Locale.ROOT)
                    + "' needs the " + decision.role().name().toLowerCase(java.util.Locale.ROOT) + " role");
        }
        if (batch.isEmpty()) throw new ApiException(ErrorCode.INVALID_FIELD, "Select at least one machine");
        if (batch.size() > MAX_BATCH) {
            throw new ApiException(ErrorCode.INVALID_FIELD, "A batch holds at most " + MAX_BATCH + " machines");
        }
        if (batch.stream().map(Seen::machineId).distinct().count() != batch.size()) {
            throw new ApiException(ErrorCode.INVALID_FIELD, "A machine appears twice in the batch");
        }
        return db.inTransaction(c -> {
            java.util.List<MachineDetail> loaded = new java.util.ArrayList<>();
            java.util.List<String> changed = new java.util.ArrayList<>();
            for (Seen seen : batch) {
                MachineDetail m = load(c, seen.machineId());
                if (m.state() != seen.state()) changed.add(m.id() + " is now " + m.state() + " (shown " + seen.state() + ")");
                loaded.add(m);
            }
            if (!changed.isEmpty()) {
                throw new ApiException(ErrorCode.ENROLLMENT_NOT_PENDING, "Batch refused, nothing was changed: "
                        + changed.size() + " of " + batch.size() + " machines changed since the page was shown: "
                        + String.join("; ", changed) + ". Reload the page and decide again.");
            }
            java.util.List<MachineDetail> out = new java.util.ArrayList<>();
            for (MachineDetail m : loaded) {
                try {
                    out.add(switch (decision) {
                        case APPROVE -> approve(c, caller, m, why);
                        case REJECT -> reject(c, caller, m, why);
                        case REVOKE -> revoke(c, caller, m, why);
                    });
                } catch (ApiException refused) { // rolls the batch back: say which of up to 500 members was refused
                    throw new ApiException(refused.code(), "Batch refused, nothing was changed: machine " + m.id()
                            + " ('" + m.name() + "'): " + refused.getMessage() + ". Untick it and decide again.");
                }
            }
            return out;
        });
    }

    public MachineDetail setGoldenPcrs(Caller caller, String machineId, SortedMap<Integer, byte[]> golden, String reason) {
        String why = DecisionReason.require(reason);
        return db.inTransaction(c -> {
            MachineDetail m = load(c, machineId);
            machines.setGoldenPcrs(c, m.id(), PcrMap.toJson(golden));
            audit.append(c, caller.username(), "machine.golden_pcrs", m.id(), AuditOutcome.OK,
                    "PCRs " + golden.keySet() + ": "
                    + why);
            return machines.find(c, m.id()).orElseThrow();
        });
    }

    private MachineDetail load(Connection c, String id) throws SQLException {
        if (id == null || id.length() > 40) throw new ApiException(ErrorCode.NOT_FOUND, "No such machine");
        return machines.find(c, id).orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND, "No machine with id '"
                + id + "'"));
    }

    private void requireTransition(Connection c, MachineDetail m, EnrollmentState from, EnrollmentState to)
            throws SQLException {
        if (m.state() != from || !machines.transition(c, m.id(), from, to)) {
            throw new ApiException(ErrorCode.ENROLLMENT_NOT_PENDING, "Machine " + m.id() + " is " + m.state()
                    + "; this action needs it to be " + from);
        }
    }

    private static ApiException notPending(MachineDetail m) {
        return new ApiException(ErrorCode.ENROLLMENT_NOT_PENDING, "Machine " + m.id() + " is " + m.state()
                + "; only pending enrollments can be rejected");
    }
}
