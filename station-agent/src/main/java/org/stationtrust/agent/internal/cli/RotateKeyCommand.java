package org.stationtrust.agent.internal.cli;

import java.util.Optional;
import java.util.concurrent.Callable;
import org.stationtrust.agent.AgentConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "rotate-key", description = "Rotate the TPM machine key with the server (through the running agent).")
final class RotateKeyCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        AgentConfig config = AgentCommand.loadConfig(AgentCommand.configOf(spec), spec.commandLine().getErr());
        if (config == null) return AgentCommand.EXIT_CONFIG;
        Optional<LocalAgent> running = LocalAgent.find(config);
        if (running.isEmpty()) {
            spec.commandLine().getErr().println("the agent is not running: start it (systemctl start station-agent) and retry");
            return AgentCommand.EXIT_FAILED;
        }
        LocalAgent.Answer a = running.get().call("POST", "/v1/key-rotation", null);
        spec.commandLine().getOut().println(a.body());
        return a.status() == 200 ? 0 : AgentCommand.EXIT_FAILED;
    }
}
