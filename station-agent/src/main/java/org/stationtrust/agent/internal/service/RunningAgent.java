package org.stationtrust.agent.internal.service;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.stationtrust.agent.AgentConfig;
import org.stationtrust.agent.internal.api.AgentOperations;
import org.stationtrust.agent.internal.api.ApiRefusal;
import org.stationtrust.agent.internal.api.ApiToken;
import org.stationtrust.agent.internal.api.AttestationAnswer;
import org.stationtrust.agent.internal.api.CaptureAnswer;
import org.stationtrust.agent.internal.api.CaptureOrder;
import org.stationtrust.agent.internal.api.DevicesAnswer;
import org.stationtrust.agent.internal.api.EnrollmentAnswer;
import org.stationtrust.agent.internal.api.KeyRotationAnswer;
import org.stationtrust.agent.internal.api.LocalApi;
import org.stationtrust.agent.internal.api.RefusalCode;
import org.stationtrust.agent.internal.api.StatusAnswer;
import org.stationtrust.agent.internal.atrest.AesGcmCipher;
import org.stationtrust.agent.internal.audit.AuditLog;
import org.stationtrust.agent.internal.capture.CaptureFlow;
import org.stationtrust.agent.internal.capture.DeviceDirectory;
import org.stationtrust.agent.internal.capture.DeviceFailures;
import org.stationtrust.agent.internal.capture.PacketOutbox;
import org.stationtrust.agent.internal.config.StateDirectory;
import org.stationtrust.agent.internal.config.StateDirectoryLock;
import org.stationtrust.agent.internal.identity.StationState;
import org.stationtrust.agent.internal.metrics.AgentMetrics;
import org.stationtrust.agent.internal.queue.Backoff;
import org.stationtrust.agent.internal.queue.Courier;
import org.stationtrust.agent.internal.queue.Foreground;
import org.stationtrust.agent.internal.queue.OutboundQueue;
import org.stationtrust.agent.internal.server.HttpDelivery;
import org.stationtrust.agent.internal.server.ServerHttp;
import org.stationtrust.logging.JsonLog;
import org.stationtrust.sbi.client.Device;
import org.stationtrust.sbi.client.DeviceAnswerRejected;
import org.stationtrust.sbi.client.DeviceTrustStore;
import org.stationtrust.sbi.client.JpegFrameStream;
import org.stationtrust.sbi.client.SbiClient;
import org.stationtrust.sbi.client.SbiClientConfig;

/**
 * The agent while it runs: state directory, audit log, TPM identity, offline queue and its courier,
 * SBI client, capture flow, enrollment and attestation, and the local API, started in that order and
 * closed in reverse. It implements what the local API exposes.
 */
public final class RunningAgent implements AgentOperations, AutoCloseable {
    private static final JsonLog LOG = new JsonLog(RunningAgent.class);

    private final AgentConfig config;
    private final StateDirectory state;
    private final StateDirectoryLock lock;
    private final AuditLog audit;
    private final StationIdentity identity;
    private final OutboundQueue queue;
    private final Optional<Courier> courier;
    private final Optional<SbiClient> sbi;
    private final Optional<DeviceDirectory> devices;
    private final Optional<CaptureFlow> captures;
    private final org.stationtrust.agent.internal.capture.RegistrationChains chains;
    private final Optional<ServerSession> server;
    private final Optional<AuditShipper> shipper;
    private volatile LocalApi api;
    private final ApiToken token;
    private final AgentMetrics metrics;
    private final Clock clock;

    private RunningAgent(Builder b) {
        this.config = b.config;
        this.state = b.state;
        this.lock = b.lock;
        this.audit = b.audit;
        this.identity = b.identity;
        this.queue = b.queue;
        this.courier = Optional.ofNullable(b.courier);
        this.sbi = Optional.ofNullable(b.sbi);
        this.devices = Optional.ofNullable(b.devices);
        this.captures = Optional.ofNullable(b.captures);
        this.chains = b.chains;
        this.server = Optional.ofNullable(b.server);
        this.shipper = Optional.ofNullable(b.shipper);
        this.api = b.api;
        this.token = b.token;
        this.metrics = b.metrics;
        this.clock = b.clock;
    }

    /** Everything built so far, so a failure half-way closes what was opened. */
    private static final class Builder {
        AgentConfig config;
        StateDirectory state;
        StateDirectoryLock lock;
        AuditLog audit;
        StationIdentity identity;
        OutboundQueue queue;
        Courier courier;
        SbiClient sbi;
        DeviceDirectory devices;
        CaptureFlow captures;
        org.stationtrust.agent.internal.capture.RegistrationChains chains;
        ServerSession server;
        AuditShipper shipper;
        LocalApi api;
        ApiToken token;
        AgentMetrics metrics;
        Clock clock;

        void closeQuietly() {
            // the lock last: nothing of this agent writes to the state directory after another may take it
            for (AutoCloseable c : new AutoCloseable[] {api, server, courier, shipper, captures, sbi, chains, queue, identity, audit, lock}) {
                if (c == null) continue;
                try {
                    c.close();
                } catch (Exception e) {
                    LOG.warn("agent.close_failed", "component", c.getClass().getSimpleName(), "reason", e.getMessage());
                }
            }
        }
    }

    public static RunningAgent start(AgentConfig config, Clock clock) throws AgentStartFailure {
        return start(config, clock, true);
    }

    /** {@code autoEnroll} false: a not-yet-enrolled station waits for an explicit enrollment (CLI enroll). */
    public static RunningAgent start(AgentConfig config, Clock clock, boolean autoEnroll) throws AgentStartFailure {
        if (config.development()) {
            LOG.warn("agent.development_mode", "message",
                    "DEVELOPMENT MODE: trust checks that production enforces (server pin, device trust store, TPM) may be missing; never use this on a registration station");
        }
        Builder b = new Builder();
        b.config = config;
        b.clock = clock;
        b.metrics = AgentMetrics.create();
        try {
            b.state = StateDirectory.open(config.stateDir(), config.api().tokenGroup());
            try {
                b.lock = StateDirectoryLock.acquire(b.state, autoEnroll ? "station-agent run" : "station-agent enroll");
            } catch (StateDirectoryLock.StateDirectoryInUse e) {
                throw new AgentStartFailure(e.getMessage(), e);
            }
            b.audit = AuditLog.open(b.state.root(), clock);
            if (b.state.wasTightened()) {
                LOG.warn("state_dir.tightened", "path", b.state.root(), "message",
                        "state directory had group/other permissions; set to 0700");
                b.audit.append("state_dir.tightened", Map.of("path", b.state.root().toString()));
            }
            b.audit.append("agent.started", Map.of("mode", config.mode().name().toLowerCase(java.util.Locale.ROOT),
                    "machineName", config.machineName()));
            ConfigFingerprint.recordChange(config, b.state, b.audit);
            b.identity = StationIdentity.open(config, b.state, b.audit, b.metrics.tpmCalls());
            AesGcmCipher cipher = new AesGcmCipher(dataKey(b, clock));
            b.queue = OutboundQueue.open(b.state.resolve("queue.db"), cipher, clock,
                    new Backoff(config.queue().initialBackoff(), config.queue().maxBackoff()));
            b.chains = org.stationtrust.agent.internal.capture.RegistrationChains.open(
                    b.state.resolve(org.stationtrust.agent.internal.capture.RegistrationChains.FILE), cipher, clock,
                    org.stationtrust.agent.internal.capture.RegistrationChains.DEFAULT_LIFETIME);
            Foreground foreground = new Foreground();
            QueuedPackets.discardOrphans(b.queue, b.audit);
            if (config.server().url().isPresent()) {
                var http = ServerHttp.client(config.server().url().get(), config.server().publicKeyPins(), config.server().timeout());
                b.server = ServerSession.start(config, http, b.identity, b.audit, clock, autoEnroll);
                HttpDelivery delivery = new HttpDelivery(http, config.server().url().get(), b.identity.requestSigning(clock),
                        config.server().timeout());
                b.shipper = new AuditShipper(b.audit, AuditCursorStore.open(b.state.resolve("queue.db"), clock), b.queue::wake, delivery,
                        new Backoff(config.queue().initialBackoff(), config.queue().maxBackoff()), clock);
                b.audit.onAppend(b.shipper);
                b.courier = new Courier(b.queue, delivery, b.shipper).yieldingTo(foreground).start();
            } else {
                LOG.warn("agent.offline", "message",
                        "no server.url (development): the agent neither enrolls nor delivers packets");
            }
            if (config.devices().trustStore().isPresent()) {
                DeviceTrustStore trust = config.devices().loadTrustStore();
                b.sbi = new SbiClient(SbiClientConfig.builder(trust).ports(config.devices().firstPort(), config.devices().lastPort())
                        .allowedSkew(config.devices().allowedSkew()).env(config.devices().environment()).clock(clock).build());
                b.devices = new DeviceDirectory(b.sbi);
                DeviceDirectory directory = b.devices;
                Thread discovery = new Thread(() -> {
                    try {
                        directory.rediscover();
                    } catch (RuntimeException e) {
                        LOG.warn("devices.discovery_failed", "reason", e.getMessage());
                    }
                }, "initial-discovery");
                discovery.setDaemon(true);
                discovery.start();
                if (b.identity.signer().isPresent()) {
                    b.captures = new CaptureFlow(b.sbi, b.devices, b.identity.packetSigner().orElseThrow(), b.audit,
                            config.server().url().isPresent() ? new QueuedPackets(b.queue) : PacketOutbox.NONE,
                            clock, config.machineName(), b.chains, foreground);
                }
            } else {
                LOG.warn("devices.no_trust_store", "message",
                        "no devices.trust_store (development): every device is refused");
            }
            b.token = ApiToken.loadOrCreate(b.state.root(), config.api().tokenGroup());
            RunningAgent agent = new RunningAgent(b);
            b.metrics.watch(new MetricsSource(agent.queue, agent.shipper, agent.devices, agent.identity, clock));
            b.api = LocalApi.start(config.api(), b.token, agent);
            agent.api = b.api;
            LOG.info("agent.ready", "api", "127.0.0.1:" + b.api.port(), "phase", b.identity.state().phase());
            return agent;
        } catch (AgentStartFailure e) {
            b.closeQuietly();
            throw e;
        } catch (Exception e) {
            b.closeQuietly();
            throw new AgentStartFailure("the agent cannot start: " + e.getMessage(), e);
        }
    }

    /**
     * The queue's key. When this TPM is not the enrolled one (new EK: TPM cleared, or a state directory
     * copied from another machine) the old key cannot unseal: the unreadable queue is moved aside, kept as
     * evidence, and the agent starts to report REENROLLMENT_REQUIRED instead of failing silently.
     */
    private static javax.crypto.SecretKey dataKey(Builder b, Clock clock) throws IOException, AgentStartFailure {
        try {
            return b.identity.dataKey().dataKey();
        } catch (org.stationtrust.agent.internal.atrest.TpmDataKey.ForeignDataKey e) {
            if (b.identity.state().phase() != StationState.EnrollmentPhase.REENROLLMENT_REQUIRED) {
                throw new AgentStartFailure(e.getMessage(), e);
            }
            String suffix = ".foreign-" + clock.millis();
            for (String name : new String[] {org.stationtrust.agent.internal.atrest.TpmDataKey.FILE, "queue.db", "queue.db-wal", "queue.db-shm"}) {
                java.nio.file.Path f = b.state.resolve(name);
                if (java.nio.file.Files.exists(f)) java.nio.file.Files.move(f, b.state.resolve(name + suffix));
            }
            b.audit.append("queue.quarantined", Map.of("suffix", suffix, "reason", "data key sealed by another TPM"));
            LOG.error("queue.quarantined", "suffix", suffix, "message",
                    "queue sealed by another TPM moved aside; enroll this station again");
            return b.identity.dataKey().dataKey();
        }
    }


    public int apiPort() {
        return api.port();
    }

    public ApiToken apiToken() {
        return token;
    }

    /** The state directory (audit log, token, queue). */
    public java.nio.file.Path stateDirectory() {
        return state.root();
    }

    public StationIdentity identity() {
        return identity;
    }

    public OutboundQueue queue() {
        return queue;
    }

    /**
     * Everything bound for the server: queued messages plus audit records the server has not acknowledged yet
     * (those wait in the audit log itself), and what is parked.
     */
    public OutboundQueue.QueueCounts outbound() {
        OutboundQueue.QueueCounts rows = queue.counts();
        return new OutboundQueue.QueueCounts(rows.waiting() + shipper.map(AuditShipper::waiting).orElse(0L),
                rows.parked() + shipper.map(AuditShipper::parked).orElse(0L));
    }

    public Optional<Courier> courier() {
        return courier;
    }

    public Optional<ServerSession> server() {
        return server;
    }

    @Override
    public StatusAnswer status() {
        StationState s = identity.state();
        StatusAnswer.PendingRotation rotation = s.pendingRotation().map(p -> new StatusAnswer.PendingRotation(
                p.keyNameHex(), String.format("0x%08X", p.handle()),
                "a key rotation was sent and its answer not received yet; the agent asks the server which key it accepts"
                        + " on its next call")).orElse(null);
        StatusAnswer.AttestationSchedule schedule = server.map(session -> new StatusAnswer.AttestationSchedule(
                session.serverInterval().map(Duration::toSeconds).orElse(null), session.schedule().toSeconds())).orElse(null);
        StatusAnswer.PacketPath packetPath = captures.map(CaptureFlow::packetPath).orElse(null);
        return new StatusAnswer(config.mode().name().toLowerCase(java.util.Locale.ROOT), config.machineName(), s.machineId(),
                s.phase().name(), s.detail(), s.lastAttestedAt().map(Instant::toString).orElse(null),
                s.lastAttestation().map(StationState.Attestation::result).orElse(null), rotation, schedule,
                identity.signer().isPresent() ? "ready" : "absent", identity.signatures(),
                packetPath, config.devices().trustStore().isPresent(), queueCounts());
    }

    private StatusAnswer.QueueCounts queueCounts() {
        OutboundQueue.QueueCounts counts = outbound();
        long auditEvents = shipper.map(AuditShipper::waiting).orElse(0L);
        return new StatusAnswer.QueueCounts(counts.waiting(), counts.parked(), counts.waiting() - auditEvents, auditEvents,
                shipper.map(AuditShipper::requests).orElse(0L));
    }

    @Override
    public DevicesAnswer devices() throws ApiRefusal {
        DeviceDirectory directory = devices.orElseThrow(RunningAgent::noTrustStore);
        return DeviceDirectory.describe(directory.rediscover());
    }

    @Override
    public CaptureAnswer capture(CaptureOrder order, org.stationtrust.agent.internal.api.CaptureSteps steps) throws ApiRefusal {
        if (devices.isEmpty()) throw noTrustStore();
        CaptureFlow flow = captures.orElseThrow(() -> new ApiRefusal(RefusalCode.TPM_UNAVAILABLE,
                "captures need the TPM machine key to sign packets, and this agent runs without a TPM (tpm.uri: none)"));
        if (!config.development() && identity.state().phase() != StationState.EnrollmentPhase.ACTIVE) {
            throw new ApiRefusal(RefusalCode.STATION_NOT_ACTIVE, "this station is " + identity.state().phase()
                    + "; captures are allowed once the server approved its enrollment (see station-agent status)");
        }
        CaptureAnswer answer = flow.capture(order, steps);
        List<Object> fields = new ArrayList<>(List.of("packetId", answer.packetId(), "transactionId",
                answer.transactionId(), "samples", answer.biometrics().size()));
        steps.forEachStep((step, nanos) -> fields.addAll(List.of(step + "Ms", Math.round(nanos / 1e3) / 1e3)));
        LOG.info("capture.packet", fields.toArray());
        steps.forEachStep(metrics::captureStep);
        return answer;
    }

    @Override
    public String metrics() {
        return metrics.scrape();
    }

    @Override
    public void orderRefused(String code) {
        audit.append("capture.refused", Map.of("reason", code));
    }

    @Override
    public void stream(String deviceId, int deviceSubId, OutputStream out, String boundary) throws ApiRefusal {
        DeviceDirectory directory = devices.orElseThrow(RunningAgent::noTrustStore);
        Device device = directory.byAgentId(deviceId).orElseThrow(() -> new ApiRefusal(RefusalCode.DEVICE_NOT_FOUND,
                "no device with id " + deviceId + "; list devices with GET /v1/devices"));
        try (JpegFrameStream frames = sbi.orElseThrow().stream(device, deviceSubId, Duration.ofSeconds(60))) {
            FrameRelay.Outcome outcome = FrameRelay.relay(frames, out, boundary);
            Optional<DeviceAnswerRejected> problem = outcome.failure().or(outcome::trailingBytes);
            if (problem.isEmpty()) {
                LOG.info("stream.ended", "deviceId", deviceId, "frames", outcome.frames(), "outcome", "complete");
            } else {
                LOG.warn("stream.ended", "deviceId", deviceId, "frames", outcome.frames(), "outcome", outcome.kind(),
                        "reason", problem.get().reason(), "detail", DeviceFailures.reasonText(problem.get()));
            }
        } catch (DeviceAnswerRejected e) {
            throw DeviceFailures.refusal(e);
        } catch (IOException e) {
            LOG.info("stream.client_gone", "deviceId", deviceId);
        }
    }

    @Override
    public EnrollmentAnswer enroll(Optional<String> enrollmentToken) throws ApiRefusal {
        return new ServerOperations(server, identity).enroll(enrollmentToken);
    }

    @Override
    public AttestationAnswer attestNow() throws ApiRefusal {
        return new ServerOperations(server, identity).attestNow();
    }

    @Override
    public KeyRotationAnswer rotateKey() throws ApiRefusal {
        return new ServerOperations(server, identity).rotateKey();
    }

    private static ApiRefusal noTrustStore() {
        return new ApiRefusal(RefusalCode.NO_DEVICE_TRUST_STORE, "no devices.trust_store is configured, so no device can be"
                + " trusted; put the device providers' CA certificates (PEM) in a directory and set devices.trust_store");
    }

    @Override
    public void close() {
        Builder b = new Builder();
        b.api = api;
        b.server = server.orElse(null);
        b.courier = courier.orElse(null);
        b.shipper = shipper.orElse(null);
        b.sbi = sbi.orElse(null);
        b.captures = captures.orElse(null);
        b.chains = chains;
        b.queue = queue;
        b.identity = identity;
        b.audit = audit;
        b.lock = lock;
        audit.append("agent.stopped", Map.of());
        b.closeQuietly();
    }
}
