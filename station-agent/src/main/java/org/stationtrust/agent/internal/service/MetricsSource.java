package org.stationtrust.agent.internal.service;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.stationtrust.agent.internal.capture.DeviceDirectory;
import org.stationtrust.agent.internal.identity.StationState;
import org.stationtrust.agent.internal.metrics.AgentMetrics;
import org.stationtrust.agent.internal.queue.OutboundQueue;
import org.stationtrust.sbi.client.DeviceStatus;
import org.stationtrust.sbi.client.Modality;

/**
 * What the agent's gauges read at a scrape: the queue (audit events not yet acknowledged count as waiting), the
 * devices of the last discovery (a scrape never starts one), and the last attestation in {@code station.json}.
 */
final class MetricsSource implements AgentMetrics.Source {
    private final OutboundQueue queue;
    private final Optional<AuditShipper> shipper;
    private final Optional<DeviceDirectory> devices;
    private final StationIdentity identity;
    private final Clock clock;

    MetricsSource(OutboundQueue queue, Optional<AuditShipper> shipper, Optional<DeviceDirectory> devices,
                  StationIdentity identity, Clock clock) {
        this.queue = queue;
        this.shipper = shipper;
        this.devices = devices;
        this.identity = identity;
        this.clock = clock;
    }

    @Override
    public long queueWaiting() {
        return queue.counts().waiting() + shipper.map(AuditShipper::waiting).orElse(0L);
    }

    @Override
    public long queueParked() {
        return queue.counts().parked() + shipper.map(AuditShipper::parked).orElse(0L);
    }

    @Override
    public double oldestWaitingAgeSeconds() {
        return queue.oldestWaitingSince().map(t -> Math.max(0, clock.millis() - t) / 1000.0).orElse(0.0);
    }

    @Override
    public long devicesAvailable(Modality modality) {
        return devices.flatMap(DeviceDirectory::lastKnown).map(r -> r.ofType(modality).stream()
                .filter(d -> d.trusted() && d.status() == DeviceStatus.READY).count()).orElse(0L);
    }

    @Override
    public long devicesRejected() {
        return devices.flatMap(DeviceDirectory::lastKnown).map(r -> (long) r.rejections().size()).orElse(0L);
    }

    @Override
    public AgentMetrics.AttestationOutcome lastAttestation() {
        return identity.state().lastAttestation().map(a -> a.outcome() == StationState.AttestationOutcome.PASSED
                ? AgentMetrics.AttestationOutcome.PASSED : AgentMetrics.AttestationOutcome.REFUSED)
                .orElse(AgentMetrics.AttestationOutcome.NONE);
    }

    @Override
    public double lastAttestationAgeSeconds() {
        return identity.state().lastAttestedAt().map(at -> Math.max(0, clock.millis() - at.toEpochMilli()) / 1000.0)
                .orElse(Double.NaN);
    }
}
