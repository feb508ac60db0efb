package org.stationtrust.server.internal.attest;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.stationtrust.server.internal.audit.AuditLog;
import org.stationtrust.logging.JsonLog;
import org.stationtrust.server.internal.audit.AuditOutcome;
import org.stationtrust.server.internal.notify.FleetEvent;
import org.stationtrust.server.internal.notify.FleetEventType;
import org.stationtrust.server.internal.notify.FleetEvents;
import org.stationtrust.server.internal.store.Database;
import org.stationtrust.server.internal.store.AttestationStore;

/**
 * Marks ACTIVE machines OVERDUE when their last successful attestation (or, never attested, their approval) is older
 * than the attestation interval, so a station that stopped calling in is noticed without waiting for its next call
 * (a verifier that silently stopped attesting: keylime issues 1091, 1756). Each machine's transition is one
 * conditional update, audited and reported to webhooks in the same transaction, so it happens once however many
 * sweeps run; on PostgreSQL a sweep first takes a transaction-scoped advisory lock and an instance that finds it
 * taken skips its turn, so one instance sweeps at a time. The next passing quote sets the status back to OK.
 */
public final class OverdueSweep {
    /** The advisory lock key of the sweep (an arbitrary constant, the same on every instance). */
    static final long LOCK_KEY = 0x5354_4f56_4552_4455L;
    private static final int BATCH = 500;
    private static final JsonLog LOG = new JsonLog(OverdueSweep.class);

    private final Database db;
    private final AttestationStore attestations;
    private final AuditLog audit;
    private final FleetEvents events;
    private final Duration interval;
    private final Clock clock;

    public OverdueSweep(Database db, AttestationStore attestations, AuditLog audit, FleetEvents events,
                        Duration interval, Clock clock) {
        this.db = db;
        this.attestations = attestations;
        this.audit = audit;
        this.events = events;
        this.interval = interval;
        this.clock = clock;
    }

    /** What one sweep did: skipped (another instance held the lock) or the number of machines it marked. */
    public record Outcome(boolean skipped, int marked) {
    }

    /** One sweep, in one transaction (at most {@value #BATCH} machines; the next sweep takes the rest). */
    public Outcome runOnce() {
        long now = clock.millis();
        long cutoff = now - interval.toMillis();
        return db.inTransaction(c -> {
            if (db.kind() == Database.Kind.POSTGRESQL && !attestations.tryAdvisoryLock(c, LOCK_KEY)) {
                return new Outcome(true, 0);
            }
            List<AttestationStore.OverdueCandidate> due = attestations.overdueCandidates(c, cutoff, BATCH);
            int marked = 0;
            for (AttestationStore.OverdueCandidate m : due) {
                if (!attestations.markOverdue(c, m.id(), m.attestationStatus(), cutoff)) continue;
                String detail = "no successful attestation within " + interval + (m.lastSuccessAt() == null
                        ? " (never attested since approval)" : " (last success " + java.time.Instant.ofEpochMilli(
                        m.lastSuccessAt()) + ")");
                audit.append(c, "server", "attestation.overdue", m.id(), AuditOutcome.OK,
                        "status " + m.attestationStatus()
                        + " -> OVERDUE: " + detail);
                events.emit(c, FleetEvent.of(FleetEventType.MACHINE_OVERDUE, m.id(), m.name(), detail));
                marked++;
            }
            return new Outcome(false, marked);
        });
    }

    /** For the scheduler: one sweep, failures logged, never thrown (the next run tries again). */
    public void runLogged() {
        try {
            Outcome o = runOnce();
            if (o.marked() > 0) LOG.info("overdue_sweep", "marked", o.marked());
        } catch (RuntimeException e) {
            LOG.warn("overdue_sweep_failed", "error", e.getMessage());
        }
    }
}
