package org.stationtrust.agent.internal.cli;

import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import org.stationtrust.agent.AgentConfig;
import org.stationtrust.agent.internal.audit.AuditLog;
import org.stationtrust.agent.internal.config.StateDirectory;
import org.stationtrust.agent.internal.config.StateDirectoryLock;
import org.stationtrust.agent.internal.identity.StationState;
import org.stationtrust.tpm.IdentityConfig;
import org.stationtrust.tpm.MachineIdentity;
import org.stationtrust.tpm.TpmConnection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "deprovision", description = "Evict this machine's AK and machine key from the TPM and forget the enrollment."
        + " The server's record stays until an administrator revokes it.")
final class DeprovisionCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--yes", description = "confirm: the keys cannot be recovered")
    boolean yes;

    @Override
    public Integer call() throws Exception {
        AgentConfig config = AgentCommand.loadConfig(AgentCommand.configOf(spec), spec.commandLine().getErr());
        if (config == null) return AgentCommand.EXIT_CONFIG;
        PrintWriter out = spec.commandLine().getOut();
        if (config.tpm().uri().isEmpty()) {
            spec.commandLine().getErr().println("no TPM configured (tpm.uri: none): nothing to evict");
            return AgentCommand.EXIT_FAILED;
        }
        if (!yes) {
            spec.commandLine().getErr().println("deprovision evicts the TPM keys for good; run again with --yes to confirm");
            return AgentCommand.EXIT_FAILED;
        }
        if (LocalAgent.find(config).isPresent()) {
            spec.commandLine().getErr().println("the agent is running; stop it first (systemctl stop station-agent)");
            return AgentCommand.EXIT_FAILED;
        }
        IdentityConfig handles = IdentityConfig.defaults();
        StateDirectory state = StateDirectory.open(config.stateDir(), config.api().tokenGroup());
        StateDirectoryLock lock;
        try {
            lock = StateDirectoryLock.acquire(state, "station-agent deprovision");
        } catch (StateDirectoryLock.StateDirectoryInUse e) {
            spec.commandLine().getErr().println("station-agent: " + e.getMessage());
            return AgentCommand.EXIT_FAILED;
        }
        StationState before = StationState.load(state.root());
        try (lock; TpmConnection tpm = TpmConnection.open(config.tpm().uri().get());
             AuditLog audit = AuditLog.open(state.root(), java.time.Clock.systemUTC())) {
            // The machine key may sit at either rotation handle; evict both (provision is idempotent and
            // recreates the AK evicted by the first pass, which the second pass evicts again).
            for (int handle : org.stationtrust.agent.internal.service.StationIdentity.MACHINE_KEY_HANDLES) {
                MachineIdentity.provision(tpm, handles.withHandles(handles.storageRootHandle(), handles.attestationKeyHandle(), handle)).deprovision();
            }
            StationState.fresh().save(state.root());
            audit.append("tpm.deprovisioned", Map.of("attestationKeyHandle", hex(handles.attestationKeyHandle()),
                    "machineKeyHandle", hex(handles.machineKeyHandle()), "previousMachineId", String.valueOf(before.machineId())));
        }
        out.println("evicted the attestation key (" + hex(handles.attestationKeyHandle()) + ") and the machine keys ("
                + hex(org.stationtrust.agent.internal.service.StationIdentity.MACHINE_KEY_HANDLES.get(0)) + ", "
                + hex(org.stationtrust.agent.internal.service.StationIdentity.MACHINE_KEY_HANDLES.get(1)) + ") from the TPM; the storage root key stays (sealed data depends on it)");
        if (before.machineId() != null) {
            out.println("the server still lists machine " + before.machineId() + ": ask an administrator to revoke it");
        }
        return 0;
    }

    private static String hex(int handle) {
        return String.format("0x%08X", handle);
    }
}
