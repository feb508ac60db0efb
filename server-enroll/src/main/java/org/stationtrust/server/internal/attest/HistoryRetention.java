package org.stationtrust.server.internal.attest;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import org.stationtrust.logging.JsonLog;
import org.stationtrust.server.internal.audit.AuditLog;
import org.stationtrust.server.internal.audit.AuditOutcome;
import org.stationtrust.server.internal.store.AttestationHistory;

/**
 * The server's own pruning of attestation history, when the admin set a retention
 * ({@code attestation-history-retention}; docs/operations.md, "Attestation history"): the same removal as
 * {@code server-enroll history prune}, run on the server's schedule. A run that removed rows writes one audit event
 * saying how many and up to when; a run that found none writes nothing. On PostgreSQL every instance runs it: two
 * runs at once delete each row once between them, and each audits what it removed.
 */
public final class HistoryRetention {
    /** How often the server runs it; the first run comes {@link #FIRST_RUN} after the start. */
    public static final Duration EVERY = Duration.ofHours(6);
    public static final Duration FIRST_RUN = Duration.ofMinutes(5);
    private static final JsonLog LOG = new JsonLog(HistoryRetention.class);

    private final AttestationHistory history;
    private final AuditLog audit;
    private final Duration retention;
    private final Clock clock;

    /** {@code retention} at least {@link AttestationHistory#MINIMUM_AGE}, as for the command. */
    public HistoryRetention(AttestationHistory history, AuditLog audit, Duration retention, Clock clock) {
        this.history = Objects.requireNonNull(history);
        this.audit = Objects.requireNonNull(audit);
        this.retention = Objects.requireNonNull(retention);
        this.clock = Objects.requireNonNull(clock);
        AttestationHistory.requireMinimumAge("attestation-history-retention", retention);
    }

    /** One run: removes the history recorded before now minus the retention, audited when it removed any. */
    public AttestationHistory.Pruned runOnce() {
        AttestationHistory.Pruned p = history.pruneOlderThan(retention, clock.instant());
        if (p.rows() > 0) {
            audit.append("server", "attestation_history.prune", "-", AuditOutcome.OK,
                    "removed " + p.describe() + " (retention "
                    + AttestationHistory.text(retention) + ")");
        }
        return p;
    }

    /** For the scheduler: one run, failures logged, never thrown (the next run tries again). */
    public void runLogged() {
        try {
            AttestationHistory.Pruned p = runOnce();
            if (p.rows() > 0) LOG.info("attestation_history_pruned", "rows", p.rows(), "machines", p.machines());
        } catch (RuntimeException e) {
            LOG.warn("attestation_history_prune_failed", "error", e.getMessage());
        }
    }
}
