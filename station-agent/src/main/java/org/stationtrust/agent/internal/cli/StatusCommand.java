package org.stationtrust.agent.internal.cli;

import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.stationtrust.agent.AgentConfig;
import org.stationtrust.agent.internal.identity.StationState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "status", description = "Show the enrollment and attestation state (from the running agent, else from the state directory).")
final class StatusCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        AgentConfig config = AgentCommand.loadConfig(AgentCommand.configOf(spec), spec.commandLine().getErr());
        if (config == null) return AgentCommand.EXIT_CONFIG;
        PrintWriter out = spec.commandLine().getOut();
        Optional<LocalAgent> running = LocalAgent.find(config);
        if (running.isPresent()) {
            out.println("agent: running (127.0.0.1:" + config.api().port() + ")");
            running.get().call("GET", "/v1/status", null).body().fields()
                    .forEachRemaining(e -> out.println("  " + e.getKey() + ": " + e.getValue()));
            return 0;
        }
        out.println("agent: not running (or its local API is not reachable on 127.0.0.1:" + config.api().port() + ")");
        StationState s = StationState.load(config.stateDir());
        out.println("  machineName: " + config.machineName());
        out.println("  machineId: " + (s.machineId() == null ? "(none)" : s.machineId()));
        out.println("  enrollment: " + s.phase() + (s.detail() == null ? "" : " (" + s.detail() + ")"));
        out.println("  lastAttestation: " + s.lastAttestation().map(a -> a.at() + " " + a.result()).orElse("(never)"));
        return s.phase() == StationState.EnrollmentPhase.REENROLLMENT_REQUIRED ? AgentCommand.EXIT_FAILED : 0;
    }
}
