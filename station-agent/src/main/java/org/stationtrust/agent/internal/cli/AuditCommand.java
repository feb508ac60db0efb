package org.stationtrust.agent.internal.cli;

import java.io.IOException;
import java.util.concurrent.Callable;
import org.stationtrust.agent.AgentConfig;
import org.stationtrust.agent.internal.audit.AuditChain;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "audit", description = "The station's local audit log.", subcommands = AuditCommand.Verify.class)
final class AuditCommand implements Runnable {
    @Spec CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "verify", description = "Check the hash chain of the audit log: detects edits, deletions, reordering.")
    static final class Verify implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Override
        public Integer call() {
            AgentConfig config = AgentCommand.loadConfig(AgentCommand.configOf(spec), spec.commandLine().getErr());
            if (config == null) return AgentCommand.EXIT_CONFIG;
            try {
                AuditChain.Verified ok = AuditChain.verify(config.stateDir().resolve("audit.jsonl"), config.stateDir().resolve("audit.head"));
                spec.commandLine().getOut().println("audit log intact: " + ok.records() + " records, last hash " + ok.lastHash());
                return 0;
            } catch (AuditChain.BrokenAuditChain e) {
                spec.commandLine().getErr().println("AUDIT LOG BROKEN: " + e.getMessage());
                return AgentCommand.EXIT_FAILED;
            } catch (IOException e) {
                spec.commandLine().getErr().println("cannot read the audit log in " + config.stateDir() + ": " + e.getMessage());
                return AgentCommand.EXIT_FAILED;
            }
        }
    }
}
