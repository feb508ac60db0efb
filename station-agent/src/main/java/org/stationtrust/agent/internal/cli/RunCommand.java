package org.stationtrust.agent.internal.cli;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.stationtrust.agent.AgentConfig;
import org.stationtrust.agent.StationAgent;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "run", description = "Run the agent in the foreground until SIGTERM (what systemd starts).")
final class RunCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        AgentConfig config = AgentCommand.loadConfig(AgentCommand.configOf(spec), spec.commandLine().getErr());
        if (config == null) return AgentCommand.EXIT_CONFIG;
        StationAgent agent;
        try {
            agent = StationAgent.start(config);
        } catch (StationAgent.CannotStart e) {
            spec.commandLine().getErr().println("station-agent: " + e.getMessage());
            return AgentCommand.EXIT_FAILED;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            agent.close();
            stopped.countDown();
        }, "agent-shutdown"));
        spec.commandLine().getOut().println("station-agent running; local API on 127.0.0.1:" + agent.apiPort()
                + ", token in " + agent.apiTokenFile());
        spec.commandLine().getOut().flush();
        stopped.await();
        return 0;
    }
}
