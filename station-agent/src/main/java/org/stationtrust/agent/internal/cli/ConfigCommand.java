package org.stationtrust.agent.internal.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.stationtrust.agent.AgentConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "config", description = "The agent's configuration.", subcommands = ConfigCommand.Check.class)
final class ConfigCommand implements Runnable {
    @Spec CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "check", description = "Validate agent.yaml plus STATION_AGENT_* variables; name every bad key.")
    static final class Check implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Override
        public Integer call() {
            AgentConfig c = AgentCommand.loadConfig(AgentCommand.configOf(spec), spec.commandLine().getErr());
            if (c == null) return AgentCommand.EXIT_CONFIG;
            PrintWriter out = spec.commandLine().getOut();
            if (c.development()) out.println("WARNING: mode: development. Trust checks may be missing; never use this on a station.");
            out.println("configuration OK");
            out.println("  mode:            " + c.mode().name().toLowerCase(java.util.Locale.ROOT));
            out.println("  machine name:    " + c.machineName());
            out.println("  state dir:       " + c.stateDir());
            out.println("  server:          " + c.server().url().map(Object::toString).orElse("(none: offline)"));
            out.println("  server pin:      " + (c.server().publicKeyPins().isEmpty() ? "(none)" : c.server().publicKeyPins().toString()));
            out.println("  enrollment token:" + (c.server().enrollmentToken().isPresent() ? " set" : " not set"));
            out.println("  tpm:             " + c.tpm().uri().orElse("(none)") + " pcrs " + c.tpm().pcrs()
                    + " event log " + c.tpm().eventLog());
            out.println("  device CAs:      " + c.devices().trustStore().map(Object::toString).orElse("(none)")
                    + " ports " + c.devices().firstPort() + "-" + c.devices().lastPort());
            out.println("  FTM CAs (L1):    " + c.devices().ftmTrustStore().map(Object::toString)
                    .orElse("(none: L1 devices refused)"));
            out.println("  local API:       127.0.0.1:" + c.api().port() + " cors " + c.api().corsOrigin().orElse("none"));
            return 0;
        }
    }
}
