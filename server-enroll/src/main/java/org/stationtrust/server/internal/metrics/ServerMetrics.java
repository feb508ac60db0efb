package org.stationtrust.server.internal.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.stationtrust.protocol.EnrollmentState;
import org.stationtrust.protocol.ErrorCode;
import org.stationtrust.server.internal.store.AttestationStatus;
import org.stationtrust.server.internal.store.FleetCounts;
import org.stationtrust.server.internal.store.GroupCommitObserver;

/**
 * The server's meters, registered once on the registry it is given (never a global one). Every label takes
 * its values from a closed set (an enum, a fixed step name): a machine id, a client address or free text never
 * becomes a label, so the number of series stays bounded however many stations there are. Names follow the
 * Prometheus conventions: base unit in the name (seconds, bytes), {@code _total} on counters.
 */
public final class ServerMetrics {
    /** Where attestation latency is judged: sub-millisecond crypto up to a slow database commit. */
    private static final Duration[] LATENCY_BUCKETS = {Duration.ofNanos(250_000), Duration.ofNanos(500_000),
            Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10),
            Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
            Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2)};
    private static final double[] BATCH_BUCKETS = {1, 2, 4, 8, 16, 32, 64, 128};

    private final PrometheusMeterRegistry registry;
    private final Counter attestationPassed;
    private final Map<ErrorCode, Counter> attestationFailed = new EnumMap<>(ErrorCode.class);
    private final Timer attestationDuration;
    private final Map<ErrorCode, Counter> refused = new EnumMap<>(ErrorCode.class);
    private final Map<String, Counter> enrollment = new ConcurrentHashMap<>();
    private final Map<String, Counter> rateLimitHits = new ConcurrentHashMap<>();
    private final Map<String, Counter> webhookDeliveries = new ConcurrentHashMap<>();
    private final DistributionSummary batchSize;
    private final Counter unchangedBootHeld;
    private final Counter unchangedBootStale;
    private final Timer batchCommit;
    private final Counter batchesRetried;

    public ServerMetrics(PrometheusMeterRegistry registry) {
        this.registry = registry;
        attestationPassed = attemptCounter("passed", "none");
        for (ErrorCode code : ErrorCode.values()) {
            attestationFailed.put(code, attemptCounter("failed", code.wire()));
            refused.put(code, Counter.builder("stationtrust.http.refused.requests")
                    .description("Requests refused with an error, by the API error code (docs/server-api.md)")
                    .tag("code", code.wire()).register(registry));
        }
        attestationDuration = Timer.builder("stationtrust.attestation.verify")
                .description("Time to verify one quote and record its outcome (commit included)")
                .serviceLevelObjectives(LATENCY_BUCKETS).register(registry);
        unchangedBootHeld = unchangedBootCounter("held");
        unchangedBootStale = unchangedBootCounter("stale");
        batchSize = DistributionSummary.builder("stationtrust.db.group.commit.batch.size")
                .description("Writes committed together by one SQLite group-commit transaction")
                .serviceLevelObjectives(BATCH_BUCKETS).register(registry);
        batchesRetried = Counter.builder("stationtrust.db.group.commit.retried")
                .description("Group-commit batches rolled back because one write failed, then run write by write")
                .register(registry);
        batchCommit = Timer.builder("stationtrust.db.group.commit.write")
                .description("Time to run and commit one group-commit batch")
                .serviceLevelObjectives(LATENCY_BUCKETS).register(registry);
    }

    /** A fresh registry with the Prometheus defaults: what a running server uses. */
    public static ServerMetrics create() {
        return create(true);
    }

    /** {@code recorded} false: a registry that denies every meter (no-op meters), to measure what metrics cost. */
    public static ServerMetrics create(boolean recorded) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        if (!recorded) registry.config().meterFilter(io.micrometer.core.instrument.config.MeterFilter.deny());
        return new ServerMetrics(registry);
    }

    private Counter attemptCounter(String result, String reason) {
        return Counter.builder("stationtrust.attestation.attempts")
                .description("Attestation quotes received, by result and (for failures) the error code")
                .tags("result", result, "reason", reason).register(registry);
    }

    private Counter unchangedBootCounter(String outcome) {
        return Counter.builder("stationtrust.attestation.unchanged.boot")
                .description("Attestations of an unchanged boot decided from this instance's memory (docs/design.md,"
                        + " \"An unchanged boot\"): held when the transaction confirmed what was remembered, stale when"
                        + " it did not and the full path decided")
                .tag("outcome", outcome).register(registry);
    }

    /** An unchanged boot decided from memory: {@code held}, or found stale in its transaction (full path taken). */
    public void unchangedBoot(boolean held) {
        (held ? unchangedBootHeld : unchangedBootStale).increment();
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** One attestation attempt: passed, or refused with {@code reason}; {@code nanos} from receipt to commit. */
    public void attestation(ErrorCode reasonOrNull, long nanos) {
        (reasonOrNull == null ? attestationPassed : attestationFailed.get(reasonOrNull)).increment();
        attestationDuration.record(nanos, TimeUnit.NANOSECONDS);
    }

    /** One enrollment step ("begin" or "activate") ending in {@code result} ("accepted" or an error code). */
    public void enrollment(EnrollmentStep step, ErrorCode reasonOrNull) {
        String result = reasonOrNull == null ? "accepted" : reasonOrNull.wire();
        enrollment.computeIfAbsent(step.label() + "/" + result, k -> Counter.builder("stationtrust.enrollment.attempts")
                .description("Enrollment requests by step and result (accepted or the error code)")
                .tags("step", step.label(), "result", result).register(registry)).increment();
    }

    /** The enrollment steps a station takes, as metric labels. */
    public enum EnrollmentStep {
        BEGIN, ACTIVATE;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public void refused(ErrorCode code) {
        refused.get(code).increment();
    }

    /** A request refused by the rate limit named {@code limit} (login, enroll, nonce: a fixed set). */
    public void rateLimited(String limit) {
        rateLimitHits.computeIfAbsent(limit, k -> Counter.builder("stationtrust.rate.limit.hits")
                .description("Requests refused by a per-client rate limit, by limit")
                .tag("limit", k).register(registry)).increment();
    }

    /** One webhook delivery attempt ending in {@code outcome} (delivered, retry, failed). */
    public void webhookDelivery(String event, String outcome) {
        webhookDeliveries.computeIfAbsent(event + "/" + outcome, k -> Counter.builder("stationtrust.webhook.deliveries")
                .description("Webhook delivery attempts by event type and outcome")
                .tags("event", event, "outcome", outcome).register(registry)).increment();
    }

    /** What the group-commit writer reports after each batch. */
    public GroupCommitObserver groupCommitObserver() {
        return new GroupCommitObserver() {
            @Override
            public void committed(int writes, long nanos) {
                batchSize.record(writes);
                batchCommit.record(nanos, TimeUnit.NANOSECONDS);
            }

            @Override
            public void retriedAlone() {
                batchesRetried.increment();
            }
        };
    }

    /** Fleet gauges read from {@code counts} at each scrape. */
    public void fleet(FleetCounts counts) {
        for (EnrollmentState s : EnrollmentState.values()) {
            Gauge.builder("stationtrust.machines", counts, c -> c.inState(s))
                    .description("Machines by enrollment state (whole database: the same on every instance)")
                    .tag("state", s.name().toLowerCase(Locale.ROOT)).strongReference(true).register(registry);
        }
        for (AttestationStatus status : AttestationStatus.values()) {
            Gauge.builder("stationtrust.machines.active.attestation", counts, c -> c.activeWithStatus(status))
                    .description("ACTIVE machines by attestation status")
                    .tag("status", status.name().toLowerCase(Locale.ROOT)).strongReference(true).register(registry);
        }
        Gauge.builder("stationtrust.machines.pending.approval", counts, c -> c.inState(EnrollmentState.PENDING_APPROVAL))
                .description("Enrollments waiting for an approver").strongReference(true).register(registry);
        Gauge.builder("stationtrust.machines.overdue", counts, c -> c.activeWithStatus(AttestationStatus.OVERDUE))
                .description("ACTIVE machines the overdue sweep marked: no successful attestation within the interval")
                .strongReference(true).register(registry);
        Gauge.builder("stationtrust.webhook.outbox.pending", counts, FleetCounts::webhooksPending)
                .description("Webhook deliveries waiting in the outbox (neither delivered nor given up)")
                .strongReference(true).register(registry);
    }

    /** The registry in the Prometheus text exposition format (version 0.0.4). */
    public String scrape() {
        return registry.scrape();
    }
}
