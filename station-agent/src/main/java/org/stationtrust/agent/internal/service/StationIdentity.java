package org.stationtrust.agent.internal.service;

import java.io.IOException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.stationtrust.agent.AgentConfig;
import org.stationtrust.agent.internal.atrest.DataKeySource;
import org.stationtrust.agent.internal.atrest.TpmDataKey;
import org.stationtrust.agent.internal.audit.AuditLog;
import org.stationtrust.agent.internal.config.StateDirectory;
import org.stationtrust.agent.internal.identity.MachineSigner;
import org.stationtrust.agent.internal.identity.SignedRequests;
import org.stationtrust.agent.internal.identity.StationState;
import org.stationtrust.agent.internal.identity.TpmAccess;
import org.stationtrust.agent.internal.identity.TpmMachineSigner;
import org.stationtrust.agent.internal.server.RequestSigning;
import org.stationtrust.logging.JsonLog;
import org.stationtrust.tpm.IdentityConfig;
import org.stationtrust.tpm.MachineIdentity;
import org.stationtrust.tpm.TpmConnection;
import org.stationtrust.tpm.TpmException;
import org.stationtrust.tpm.TpmProtocolError;
import org.stationtrust.tpm.TpmUnreachable;

/**
 * The station's identity: the TPM connection and its provisioned keys (EK, AK, machine key), the state
 * remembered in {@code station.json}, and the TPM-sealed data key. On start it compares the TPM's EK
 * with the enrolled one: a cleared or replaced TPM is reported as {@code REENROLLMENT_REQUIRED}.
 */
public final class StationIdentity implements AutoCloseable, TpmAccess {
    private static final JsonLog LOG = new JsonLog(StationIdentity.class);
    private final StateDirectory stateDir;
    private final AuditLog audit;
    private final Optional<String> uri;
    private volatile TpmConnection connection;
    private volatile MachineIdentity machine;
    private final MachineSigner signer;
    /** The capture path's own signer: its signatures are the packet path's TPM calls. */
    private final MachineSigner packetSigner;
    private final DataKeySource dataKey;
    private volatile StationState state;
    private final io.micrometer.core.instrument.Timer tpmCalls;

    private StationIdentity(StateDirectory stateDir, AuditLog audit, TpmConnection connection, MachineIdentity machine,
                            DataKeySource dataKey, StationState state, io.micrometer.core.instrument.Timer tpmCalls) {
        this.tpmCalls = tpmCalls;
        this.uri = connection == null ? Optional.empty() : Optional.of(connection.uri());
        this.stateDir = stateDir;
        this.audit = audit;
        this.connection = connection;
        this.machine = machine;
        this.dataKey = dataKey;
        this.state = state;
        this.signer = machine == null ? null : new TpmMachineSigner(this, () -> this.state.machineId());
        this.packetSigner = machine == null ? null : new TpmMachineSigner(this, () -> this.state.machineId());
    }

    /** {@code tpmCalls} times every call into the TPM (metrics). */
    public static StationIdentity open(AgentConfig config, StateDirectory stateDir, AuditLog audit,
                                       io.micrometer.core.instrument.Timer tpmCalls) throws AgentStartFailure {
        StationState state;
        try {
            state = StationState.load(stateDir.root());
        } catch (IOException e) {
            throw new AgentStartFailure(e.getMessage(), e);
        }
        if (config.tpm().uri().isEmpty()) {
            LOG.warn("tpm.absent", "message",
                    "DEVELOPMENT: no TPM; no machine identity, no signed packets, queue key unsealed on disk");
            return new StationIdentity(stateDir, audit, null, null, DataKeySource.unsealedFile(stateDir.root()), state,
                    tpmCalls);
        }
        String uri = config.tpm().uri().get();
        TpmConnection connection = null;
        try {
            connection = TpmConnection.open(uri);
            MachineIdentity machine = MachineIdentity.provision(connection, handles(state));
            StationIdentity identity = new StationIdentity(stateDir, audit, connection, machine,
                    new TpmDataKey(connection, stateDir.root()), state, tpmCalls);
            identity.checkSameTpm();
            audit.append("tpm.provisioned", Map.of("uri", uri, "ekKind", machine.endorsementKey().kind().name(),
                    "machineKeyName", hex(machine.machineKey().name())));
            return identity;
        } catch (TpmException e) {
            if (connection != null) connection.close();
            audit.append("tpm.unavailable", Map.of("uri", uri, "reason", e.getClass().getSimpleName()));
            throw new AgentStartFailure("cannot use the TPM at " + uri + ": " + e.getMessage()
                    + " (check that the device exists and the agent's user is in group tss; station-agent doctor explains)", e);
        }
    }

    /** A cleared TPM has a new EK (or no longer holds our keys): the server's record no longer matches this machine. */
    private void checkSameTpm() {
        String ek = hex(machine.endorsementKey().name());
        String key = hex(machine.machineKey().name());
        StationState s = state;
        if (s.ekNameHex() != null && !s.ekNameHex().equals(ek)) {
            update(s.withPhase(StationState.EnrollmentPhase.REENROLLMENT_REQUIRED,
                    "the TPM's endorsement key changed (TPM cleared or replaced): enroll this station again"));
            audit.append("tpm.endorsement_key_changed", Map.of("enrolledEkName", s.ekNameHex(), "currentEkName", ek));
            LOG.error("tpm.endorsement_key_changed", "message",
                    "this TPM is not the one enrolled; run station-agent enroll");
        } else if (s.machineKeyNameHex() != null && !s.machineKeyNameHex().equals(key)
                && s.phase() != StationState.EnrollmentPhase.NOT_ENROLLED) {
            update(s.withPhase(StationState.EnrollmentPhase.REENROLLMENT_REQUIRED,
                    "the machine key in the TPM is not the enrolled one (keys evicted or TPM cleared): enroll this station again"));
            audit.append("tpm.machine_key_changed", Map.of("enrolledKeyName", s.machineKeyNameHex(), "currentKeyName", key));
        }
    }

    @Override
    public <T> T call(TpmCall<T> call) throws TpmException {
        synchronized (this) {
            if (machine == null) throw new IllegalStateException("this agent runs without a TPM");
            long start = System.nanoTime();
            try {
                return call.apply(machine);
            } catch (TpmUnreachable | TpmProtocolError lost) {
                LOG.warn("tpm.reconnecting", "reason", lost.getMessage());
                reconnect();
                return call.apply(machine);
            } finally {
                tpmCalls.record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
            }
        }
    }

    @Override
    public MachineIdentity current() {
        return machine;
    }

    /** Opens a new connection and reloads the (persisted) keys; a different EK is reported, not ignored. */
    private void reconnect() throws TpmException {
        try {
            connection.close();
        } catch (RuntimeException e) {
            LOG.debug("tpm.close_failed", "reason", e.getMessage());
        }
        connection = TpmConnection.open(uri.orElseThrow());
        machine = MachineIdentity.provision(connection, machine.config());
        audit.append("tpm.reconnected", Map.of("uri", uri.get()));
        checkSameTpm();
    }

    /** The machine key lives at one of two persistent handles; a rotation moves it to the other. */
    public static final List<Integer> MACHINE_KEY_HANDLES = List.of(IdentityConfig.DEFAULT_MACHINE_KEY, 0x81000004);

    static IdentityConfig handles(StationState s) {
        int handle = s.machineKeyHandle() == null ? IdentityConfig.DEFAULT_MACHINE_KEY : s.machineKeyHandle();
        return IdentityConfig.defaults().withHandles(IdentityConfig.DEFAULT_STORAGE_ROOT, IdentityConfig.DEFAULT_ATTESTATION_KEY, handle);
    }

    /**
     * The machine key at {@code handle} beside the current one (same storage root and AK): the key persisted there, or a
     * new one created there when the handle is empty. Key rotation ({@link KeyRotationProcedure}) uses it.
     */
    MachineIdentity machineKeyAt(int handle) throws TpmException {
        return call(current -> MachineIdentity.provision(connection, current.config().withHandles(
                current.config().storageRootHandle(), current.config().attestationKeyHandle(), handle)));
    }

    /**
     * Signs with {@code next} from now on and records it as the machine key, no rotation pending any more (one atomic
     * state write); answers the key it replaces.
     */
    synchronized MachineIdentity useMachineKey(MachineIdentity next) {
        MachineIdentity previous = machine;
        update(state.withMachineKey(hex(next.machineKey().name()), next.config().machineKeyHandle()));
        machine = next;
        return previous;
    }

    /** Signs server requests with {@code key} (not necessarily the current one): used to ask the server which key it accepts. */
    public RequestSigning requestSigningWith(MachineIdentity key, Clock clock) {
        TpmAccess pinned = new TpmAccess() {
            @Override
            public <T> T call(TpmCall<T> call) throws TpmException {
                synchronized (StationIdentity.this) {
                    long start = System.nanoTime();
                    try {
                        return call.apply(key);
                    } finally {
                        tpmCalls.record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
                    }
                }
            }

            @Override
            public MachineIdentity current() {
                return key;
            }
        };
        return new SignedRequests(new TpmMachineSigner(pinned, () -> this.state.machineId()), clock);
    }

    public Optional<MachineIdentity> machine() {
        return Optional.ofNullable(machine);
    }

    /** The signer of requests to the server (and of anything but capture packets). */
    public Optional<MachineSigner> signer() {
        return Optional.ofNullable(signer);
    }

    /** The signer of capture packets, used by the capture flow alone. */
    public Optional<MachineSigner> packetSigner() {
        return Optional.ofNullable(packetSigner);
    }

    /** TPM signatures made so far by both signers. */
    public long signatures() {
        return signer == null ? 0 : signer.signatures() + packetSigner.signatures();
    }

    public DataKeySource dataKey() {
        return dataKey;
    }

    /**
     * Signs enrollment requests: the station has no machine id yet, so the JWS names the machine key by its hex TPM
     * Name, the key the request body carries (docs/server-api.md, "Enrollment").
     */
    public RequestSigning enrollmentSigning(Clock clock) {
        return signer == null ? RequestSigning.NONE : new SignedRequests(new TpmMachineSigner(this, () -> null), clock);
    }

    public RequestSigning requestSigning(Clock clock) {
        return signer == null ? RequestSigning.NONE : new SignedRequests(signer, clock);
    }

    public StationState state() {
        return state;
    }

    public String ekNameHex() {
        return hex(machine.endorsementKey().name());
    }

    public String machineKeyNameHex() {
        return hex(machine.machineKey().name());
    }

    /** Persists the state {@code change} makes of the current one, with no other change in between. */
    public synchronized void update(java.util.function.UnaryOperator<StationState> change) {
        update(change.apply(state));
    }

    /** Persists a new state (0600, atomic rename). */
    public synchronized void update(StationState next) {
        try {
            next.save(stateDir.root());
            state = next;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot save the station state in " + stateDir.root(), e);
        }
    }

    static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    @Override
    public synchronized void close() {
        if (connection != null) connection.close();
    }
}
