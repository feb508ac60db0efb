package org.stationtrust.agent.internal.service;

import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.stationtrust.agent.AgentConfig;
import org.stationtrust.agent.internal.audit.AuditLog;
import org.stationtrust.agent.internal.identity.StationState.EnrollmentPhase;
import org.stationtrust.agent.internal.identity.StationState;
import org.stationtrust.agent.internal.queue.Backoff;
import org.stationtrust.agent.internal.server.RequestSigning;
import org.stationtrust.agent.internal.server.ServerClient;
import org.stationtrust.agent.internal.server.ServerRefused;
import org.stationtrust.agent.internal.server.ServerUnreachable;
import org.stationtrust.logging.JsonLog;
import org.stationtrust.protocol.ErrorCode;
import org.stationtrust.protocol.QuoteResult;
import org.stationtrust.tpm.TpmException;

/**
 * The agent's life with the server, on one background thread, as a state machine over the enrollment phase: enroll
 * when not enrolled (with the configured one-time token; {@link EnrollmentProcedure}), wait for approval with backoff,
 * then attest on schedule and on demand ({@link AttestationProcedure}); a key rotation asked by an operator and one
 * whose answer was lost go to {@link KeyRotationProcedure}.
 * A cleared TPM (REENROLLMENT_REQUIRED), a rejection or a revocation stops it until an operator acts.
 */
public final class ServerSession implements AutoCloseable {
    private static final JsonLog LOG = new JsonLog(ServerSession.class);
    private final AgentConfig config;
    private final StationIdentity identity;
    private final ServerClient server;
    private final AuditLog audit;
    private final Clock clock;
    private final RequestSigning signing;
    private final KeyRotationProcedure rotation;
    private final AttestationProcedure attestation;
    private final Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60));
    private static final Backoff APPROVAL_POLL = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30));
    /** How long an operator's enrollment or key rotation waits for the session's current step to end. */
    static final Duration OPERATOR_WAIT = Duration.ofSeconds(10);
    private final Object wake = new Object();
    /**
     * Held by the session's own step and by an operator's enrollment or key rotation, one at a time. The step may hold
     * it for long (an enrollment retrying while the server does not answer), so an operator waits at most
     * {@link #OPERATOR_WAIT} and is then told what the session is doing ({@link Busy}).
     */
    private final ReentrantLock turn = new ReentrantLock();
    /** What the holder of {@link #turn} is doing, in words for the operator. */
    private volatile String doing = "starting";
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean attestRequested;
    private int failures;
    /** Polls for approval so far: the wait grows from 1 s to 30 s while an administrator has not decided. */
    private int approvalPolls;
    private boolean autoEnroll;
    /**
     * The token of this run's operator enrollment, kept in memory only (never on disk) so that an activation
     * interrupted in this run can be resumed with the same request; after a restart the configured token is used.
     */
    private volatile Optional<String> operatorToken = Optional.empty();
    /** False once resuming an interrupted activation was refused: an operator must enroll again. */
    private boolean resumeActivation = true;
    /** The server's attestation interval, from its last answer to a quote; empty until the first one this run. */
    private volatile Optional<Duration> serverInterval = Optional.empty();
    /** {@link System#nanoTime} of this run's last passed attestation; null before the first. */
    private volatile Long attestedAtNanos;

    private ServerSession(AgentConfig config, HttpClient http, StationIdentity identity, AuditLog audit, Clock clock) {
        this.config = config;
        this.identity = identity;
        this.server = new ServerClient(http, config.server().url().orElseThrow(), config.server().timeout());
        this.audit = audit;
        this.clock = clock;
        this.signing = identity.requestSigning(clock);
        this.rotation = new KeyRotationProcedure(identity, server, audit, clock, signing);
        this.attestation = new AttestationProcedure(identity, server, audit, config.tpm().pcrs(),
                org.stationtrust.agent.internal.boot.EventLogSources.of(config), signing);
        this.thread = new Thread(this::loop, "server-session");
        this.thread.setDaemon(true);
    }

    static ServerSession start(AgentConfig config, HttpClient http, StationIdentity identity, AuditLog audit, Clock clock,
                               boolean autoEnroll) {
        ServerSession session = new ServerSession(config, http, identity, audit, clock);
        session.autoEnroll = autoEnroll;
        if (identity.machine().isPresent()) session.thread.start();
        return session;
    }

    public ServerClient server() {
        return server;
    }

    public RequestSigning signing() {
        return signing;
    }

    /** Asks for an attestation now (on demand); returns at once. */
    public void requestAttestation() {
        attestRequested = true;
        synchronized (wake) {
            wake.notifyAll();
        }
    }

    private void loop() {
        while (running) {
            Duration wait;
            try {
                wait = step();
                failures = 0;
            } catch (ServerUnreachable e) {
                failures++;
                wait = backoff.after(failures);
                LOG.warn("server.unreachable", "attempt", failures, "retryInMs", wait.toMillis(),
                        "reason", e.getMessage());
            } catch (ServerRefused e) {
                failures++;
                wait = backoff.after(failures);
                LOG.warn("server.refused", "attempt", failures, "status", e.status(), "code", e.code(),
                        "reason", e.getMessage());
            } catch (TpmException e) {
                failures++;
                wait = backoff.after(failures);
                LOG.error("tpm.error", "attempt", failures, "reason", e.getMessage());
            } catch (RuntimeException e) {
                failures++;
                wait = backoff.after(failures);
                LOG.error("server_session.error", "reason", e.toString());
            }
            synchronized (wake) {
                if (running && !attestRequested) {
                    try {
                        wake.wait(Math.max(1, wait.toMillis()));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        }
    }

    /** One step of the state machine; returns how long to wait before the next. */
    Duration step() throws ServerUnreachable, ServerRefused, TpmException {
        turn.lock();
        return thenRelease(this::stepHoldingTurn);
    }

    private Duration stepHoldingTurn() throws ServerUnreachable, ServerRefused, TpmException {
        doing = "settling an interrupted key rotation";
        settlePendingRotation();
        StationState s = identity.state();
        switch (s.phase()) {
            case NOT_ENROLLED -> {
                if (!autoEnroll) return Duration.ofMinutes(5);
                doing = "enrolling with the configured token (retrying while the server does not answer)";
                try {
                    new EnrollmentProcedure(identity, server, audit, config.tpm().pcrs(), config.server().enrollmentRetry(), clock).enroll(
                            config.server().url().orElseThrow().toString(), config.machineName(),
                            config.server().enrollmentToken().map(AgentConfig.Secret::value));
                } catch (ServerRefused e) {
                    if (e.status() / 100 == 4 && e.status() != 429 && e.status() != 408) {
                        // A refusal for good (bad token, untrusted EK, ...): retrying changes nothing, an operator must act.
                        autoEnroll = false;
                        identity.update(identity.state().withPhase(EnrollmentPhase.NOT_ENROLLED, "the server refused the"
                                + " enrollment (" + e.code() + "); fix the cause, then run station-agent enroll"));
                        LOG.error("enrollment.refused", "code", e.code(), "message",
                                "automatic enrollment stopped; run station-agent enroll");
                        return Duration.ofMinutes(5);
                    }
                    throw e;
                }
                return Duration.ofMillis(200);
            }
            case PENDING_APPROVAL -> {
                doing = "asking the server whether the enrollment was approved";
                return pollApproval(s, EnrollmentProcedure.phaseOf(server.enrollmentState(s.machineId())));
            }
            case PENDING_ACTIVATION -> {
                doing = "resuming an interrupted credential activation";
                return resumeActivation(s);
            }
            case ACTIVE -> {
                doing = "attesting";
                return attestIfDue(s);
            }
            default -> {
                attestRequested = false;
                return Duration.ofMinutes(5);
            }
        }
    }

    /**
     * Enrolls now (CLI {@code enroll}, or re-enrollment after a cleared TPM, a rejection or a revocation).
     * Refuses while an enrollment is active or pending, so a second key is never enrolled by accident.
     */
    public EnrollmentPhase enrollNow(Optional<String> token) throws ServerUnreachable, ServerRefused, TpmException {
        takeTurn("enrolling (asked by an operator)");
        return thenRelease(() -> enrollHoldingTurn(token));
    }

    private EnrollmentPhase enrollHoldingTurn(Optional<String> token) throws ServerUnreachable, ServerRefused,
            TpmException {
        StationState s = identity.state();
        if (s.phase() == EnrollmentPhase.ACTIVE || s.phase() == EnrollmentPhase.PENDING_APPROVAL) {
            throw new IllegalStateException("this station is already enrolled as " + s.machineId() + " (" + s.phase()
                    + "); deprovision it first to enroll again");
        }
        if (s.phase() != EnrollmentPhase.NOT_ENROLLED) {
            audit.append("enrollment.restarted", Map.of("previousMachineId", String.valueOf(s.machineId()), "previousPhase", s.phase().name()));
            identity.update(s.restarted());
        }
        operatorToken = token;
        resumeActivation = true;
        EnrollmentPhase phase = new EnrollmentProcedure(identity, server, audit, config.tpm().pcrs(), config.server().enrollmentRetry(), clock).enroll(
                config.server().url().orElseThrow().toString(), config.machineName(),
                token.or(() -> config.server().enrollmentToken().map(AgentConfig.Secret::value)));
        synchronized (wake) {
            wake.notifyAll();
        }
        return phase;
    }

    /**
     * An enrollment saved {@code PENDING_ACTIVATION} whose activation did not complete (its answer lost, the agent
     * stopped): while the server still has it pending, the same enrollment is sent again, signed afresh, and the server
     * answers it with the same challenge (docs/server-api.md, "Enrollment", "Signature and retry"), which is activated
     * now. Failures wait with the session's backoff; the server rejects an enrollment not activated within 24 hours.
     */
    private Duration resumeActivation(StationState s) throws ServerUnreachable, ServerRefused, TpmException {
        EnrollmentPhase onServer = EnrollmentProcedure.phaseOf(server.enrollmentState(s.machineId()));
        if (onServer != EnrollmentPhase.PENDING_ACTIVATION || !resumeActivation) return pollApproval(s, onServer);
        Optional<String> token = operatorToken.or(() -> config.server().enrollmentToken().map(AgentConfig.Secret::value));
        audit.append("enrollment.activation_resuming", Map.of("machineId", s.machineId(), "withToken", token.isPresent()));
        try {
            new EnrollmentProcedure(identity, server, audit, config.tpm().pcrs(), config.server().enrollmentRetry(), clock)
                    .enroll(config.server().url().orElseThrow().toString(), config.machineName(), token);
        } catch (ServerRefused e) {
            if (e.status() / 100 == 4 && e.status() != 429 && e.status() != 408) {
                resumeActivation = false;
                identity.update(identity.state().withPhase(EnrollmentPhase.PENDING_ACTIVATION, "the interrupted"
                        + " activation could not be resumed (" + e.code() + "); run station-agent enroll with the same"
                        + " token within 24 hours of the first attempt (it is answered the same enrollment), else with a new one"));
                LOG.error("enrollment.resume_refused", "code", e.code(), "message",
                        "the interrupted activation was not resumed; run station-agent enroll");
                return Duration.ofMinutes(5);
            }
            throw e;
        }
        return Duration.ofMillis(200);
    }

    private Duration pollApproval(StationState s, EnrollmentPhase phase) {
        if (phase == s.phase()) {
            approvalPolls++;
            return APPROVAL_POLL.after(approvalPolls);
        }
        approvalPolls = 0;
        identity.update(s.withPhase(phase, phase == EnrollmentPhase.ACTIVE ? null : "the server reports " + phase));
        audit.append("enrollment.state_changed", Map.of("machineId", s.machineId(), "from", s.phase().name(), "to", phase.name()));
        LOG.info("enrollment.state_changed", "machineId", s.machineId(), "from", s.phase(), "to", phase);
        if (phase == EnrollmentPhase.ACTIVE) attestRequested = true;
        return Duration.ofMillis(10);
    }

    private Duration attestIfDue(StationState s) throws ServerUnreachable, ServerRefused, TpmException {
        // Measured on the monotonic clock since this run's last passed attestation, never by the wall clock: a clock
        // stepped back would postpone it by the step. A run's first attestation is due anyway (serverInterval empty).
        Duration schedule = schedule();
        Optional<Duration> since = sinceLastAttestation();
        boolean due = attestRequested || serverInterval.isEmpty() || !s.attestationPassed() || since.isEmpty()
                || since.get().compareTo(schedule) >= 0;
        if (!due) return schedule.minus(since.get());
        attestRequested = false;
        attest();
        return schedule();
    }

    /** Time since this run's last passed attestation ({@link System#nanoTime}), if there was one. */
    private Optional<Duration> sinceLastAttestation() {
        Long at = attestedAtNanos;
        return at == null ? Optional.empty() : Optional.of(Duration.ofNanos(System.nanoTime() - at));
    }

    /** One attestation ({@link AttestationProcedure}); its result is remembered, audited, and its interval learned. */
    public void attest() throws ServerUnreachable, ServerRefused, TpmException {
        try {
            QuoteResult answer = attestation.attest();
            learnInterval(answer.attestationIntervalSeconds());
            attestedAtNanos = System.nanoTime();
            identity.update(s -> s.withAttestation(StationState.Attestation.passed(clock.instant())));
            audit.append("attestation.passed", Map.of("machineId", Optional.ofNullable(identity.state().machineId()).orElse("?")));
        } catch (ServerRefused e) {
            identity.update(s -> s.withAttestation(StationState.Attestation.refused(clock.instant(), e.code())));
            audit.append("attestation.refused", Map.of("status", e.status(), "code", e.code()));
            if (e.is(ErrorCode.MACHINE_NOT_ACTIVE) || e.is(ErrorCode.MACHINE_UNKNOWN)) {
                refreshEnrollmentState();
            }
            throw e;
        }
    }

    /**
     * The time between attestations: three quarters of the server's interval (so a slow network or a retry does not
     * make the station overdue), or the configured interval when that is shorter or the server has not said.
     */
    public Duration schedule() {
        Duration configured = config.server().attestationInterval();
        return serverInterval.map(d -> d.multipliedBy(3).dividedBy(4)).filter(d -> d.compareTo(configured) < 0)
                .map(d -> d.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : d).orElse(configured);
    }

    /** The server's attestation interval as last learned, if any. */
    public Optional<Duration> serverInterval() {
        return serverInterval;
    }

    private void learnInterval(long seconds) {
        // An older server does not send it (read as 0); a nonsensical value is ignored rather than trusted.
        if (seconds < 1 || seconds > 366L * 86_400) {
            LOG.warn("attestation.interval_unknown", "message",
                    "the server did not send a usable attestationIntervalSeconds; using server.attestation_interval_seconds");
            return;
        }
        Duration learned = Duration.ofSeconds(seconds);
        if (!serverInterval.equals(Optional.of(learned))) {
            serverInterval = Optional.of(learned);
            LOG.info("attestation.interval_learned", "seconds", learned.toSeconds(),
                    "scheduleSeconds", schedule().toSeconds());
        }
    }

    /**
     * A rotation whose answer was lost (this run or before a crash) is settled before any other signed call, so the
     * agent never keeps signing with a key the server retired. Still unknown (server unreachable): retried later.
     */
    private void settlePendingRotation() throws ServerUnreachable, TpmException {
        if (!identity.state().rotationPending()) return;
        if (rotation.settle() == KeyRotationProcedure.Outcome.STILL_UNKNOWN) {
            throw new ServerUnreachable("the outcome of an interrupted key rotation is still unknown (the server did not"
                    + " answer which key it accepts); the agent asks again", null);
        }
    }

    /**
     * Rotates the machine key (when an operator or the registration application asks) with {@link KeyRotationProcedure};
     * a rotation whose answer was lost wakes the session, which settles it on its next step.
     */
    public String rotateKey() throws ServerUnreachable, ServerRefused, TpmException {
        takeTurn("rotating the machine key (asked by an operator)");
        return thenRelease(this::rotateHoldingTurn);
    }

    private String rotateHoldingTurn() throws ServerUnreachable, ServerRefused, TpmException {
        settlePendingRotation();
        if (identity.state().phase() != EnrollmentPhase.ACTIVE) {
            throw new IllegalStateException("only an ACTIVE station rotates its key; this one is " + identity.state().phase());
        }
        try {
            return rotation.rotate();
        } catch (ServerUnreachable e) {
            synchronized (wake) {
                wake.notifyAll();
            }
            throw e;
        }
    }

    /** Work done while holding {@link #turn}. */
    @FunctionalInterface
    private interface InTurn<T> {
        T run() throws ServerUnreachable, ServerRefused, TpmException;
    }

    /** Runs {@code work}, {@link #turn} already held, and releases the turn however it ends. */
    private <T> T thenRelease(InTurn<T> work) throws ServerUnreachable, ServerRefused, TpmException {
        try {
            return work.run();
        } finally {
            doing = "waiting for its next step";
            turn.unlock();
        }
    }

    /** Takes {@link #turn} for an operator's request, waiting at most {@link #OPERATOR_WAIT}; else {@link Busy}. */
    private void takeTurn(String what) {
        try {
            if (!turn.tryLock(OPERATOR_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new Busy(doing);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Busy(doing);
        }
        doing = what;
    }

    /** An operator's request refused because the session was still busy with something else after {@link #OPERATOR_WAIT}. */
    public static final class Busy extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Busy(String doing) {
            super("the agent is busy " + doing + " and did not finish within " + OPERATOR_WAIT.toSeconds()
                    + " s; try again once it has (station-agent status shows where it stands)");
        }
    }

    private void refreshEnrollmentState() {
        StationState s = identity.state();
        try {
            EnrollmentPhase phase = EnrollmentProcedure.phaseOf(server.enrollmentState(s.machineId()));
            if (phase != s.phase()) {
                identity.update(s.withPhase(phase, "the server reports " + phase));
                audit.append("enrollment.state_changed", Map.of("machineId", s.machineId(), "from", s.phase().name(), "to", phase.name()));
            }
        } catch (ServerUnreachable | ServerRefused e) {
            LOG.warn("enrollment.state_unknown", "reason", e.getMessage());
        }
    }

    @Override
    public void close() {
        running = false;
        synchronized (wake) {
            wake.notifyAll();
        }
        thread.interrupt();
        try {
            if (thread.isAlive()) thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
