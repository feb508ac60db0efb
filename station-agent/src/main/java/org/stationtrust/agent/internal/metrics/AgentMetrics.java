package org.stationtrust.agent.internal.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import org.stationtrust.sbi.client.Modality;

/**
 * The agent's meters on the registry it is given. Labels take values from closed sets only (capture step names
 * fixed in the code, device modality, attestation outcome): never a machine id, a device serial or a server
 * error text. Served on the local API's {@code GET /metrics}, behind its token.
 */
public final class AgentMetrics {
    private static final java.util.List<Duration> CAPTURE_BUCKETS = java.util.List.of(Duration.ofMillis(1), Duration.ofMillis(5),
            Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
            Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5),
            Duration.ofSeconds(10));

    /** The attestation outcomes a gauge reports: the last one is 1, the others 0. */
    public enum AttestationOutcome { PASSED, REFUSED, NONE }

    /** What the gauges read at each scrape (the running agent answers). */
    public interface Source {
        long queueWaiting();

        long queueParked();

        /** Age of the oldest message waiting for delivery, in seconds; 0 when none waits. */
        double oldestWaitingAgeSeconds();

        /** Trusted devices of this modality that last reported Ready. */
        long devicesAvailable(Modality modality);

        /** Ports whose device answer was rejected at the last discovery. */
        long devicesRejected();

        AttestationOutcome lastAttestation();

        /** Seconds since the last attestation attempt, NaN when there was none. */
        double lastAttestationAgeSeconds();
    }

    private final PrometheusMeterRegistry registry;
    private final Timer tpmCalls;
    private final Map<String, Timer> captureSteps = new ConcurrentHashMap<>();

    public AgentMetrics(PrometheusMeterRegistry registry) {
        this.registry = registry;
        tpmCalls = Timer.builder("stationtrust.agent.tpm.call")
                .description("Time of one call into the TPM (a TPM2_Sign, TPM2_Quote, unseal...), waiting for it included")
                .serviceLevelObjectives(CAPTURE_BUCKETS.toArray(new Duration[0])).register(registry);
    }

    public static AgentMetrics create() {
        return new AgentMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    }

    public Timer tpmCalls() {
        return tpmCalls;
    }

    /** One step of a capture took {@code nanos}; step names come from the capture code, a fixed set. */
    public void captureStep(String step, long nanos) {
        captureSteps.computeIfAbsent(step, s -> Timer.builder("stationtrust.agent.capture.step")
                .description("Time of each step of POST /v1/captures (device capture, packet build, TPM signature, store)")
                .tag("step", s).serviceLevelObjectives(CAPTURE_BUCKETS.toArray(new Duration[0])).register(registry))
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    /** Registers the gauges that read {@code source} at each scrape (held strongly: nothing else holds it). */
    public void watch(Source source) {
        gauge("stationtrust.agent.queue.messages", "Messages bound for the server, by state", source,
                s -> s.queueWaiting(), "state", "waiting");
        gauge("stationtrust.agent.queue.messages", "Messages bound for the server, by state", source,
                s -> s.queueParked(), "state", "parked");
        Gauge.builder("stationtrust.agent.queue.oldest.age", source, Source::oldestWaitingAgeSeconds).baseUnit("seconds")
                .description("Age of the oldest message still waiting for delivery").strongReference(true).register(registry);
        for (Modality m : Modality.values()) {
            gauge("stationtrust.agent.devices.available", "Trusted devices reporting Ready, by modality", source,
                    s -> s.devicesAvailable(m), "type", m.wireName().toLowerCase(Locale.ROOT));
        }
        Gauge.builder("stationtrust.agent.devices.rejected", source, Source::devicesRejected)
                .description("Device ports whose answers were rejected at the last discovery").strongReference(true).register(registry);
        for (AttestationOutcome o : AttestationOutcome.values()) {
            gauge("stationtrust.agent.attestation.last.result", "1 for the outcome of the last attestation, else 0",
                    source, s -> s.lastAttestation() == o ? 1 : 0, "result", o.name().toLowerCase(Locale.ROOT));
        }
        Gauge.builder("stationtrust.agent.attestation.last.age", source, Source::lastAttestationAgeSeconds)
                .baseUnit("seconds").description("Time since the last attestation attempt").strongReference(true).register(registry);
    }

    private void gauge(String name, String help, Source source, ToDoubleFunction<Source> f, String tag, String value) {
        Gauge.builder(name, source, f).description(help).tag(tag, value).strongReference(true).register(registry);
    }

    /** The registry in the Prometheus text format 0.0.4. */
    public String scrape() {
        return registry.scrape();
    }
}
