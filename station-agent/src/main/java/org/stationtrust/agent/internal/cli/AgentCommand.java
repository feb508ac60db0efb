package org.stationtrust.agent.internal.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import org.stationtrust.agent.AgentConfig;
import org.stationtrust.agent.InvalidConfiguration;
import org.stationtrust.agent.internal.config.ConfigLoader;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** The top command; every subcommand shares {@code --config}. */
@Command(name = "station-agent", mixinStandardHelpOptions = true, version = "station-agent 0.1.0",
        description = "station-trust agent: TPM identity, enrollment, attestation, verified biometric captures.",
        subcommands = {RunCommand.class, StatusCommand.class, EnrollCommand.class, AttestCommand.class, DevicesCommand.class, CaptureCommand.class,
                DeprovisionCommand.class, RotateKeyCommand.class, AuditCommand.class, ConfigCommand.class, DoctorCommand.class})
public final class AgentCommand implements Runnable {
    public static final int EXIT_FAILED = 1;
    /** A command line that is refused (picocli's own code for invalid input). */
    public static final int EXIT_USAGE = 2;
    public static final int EXIT_CONFIG = 78;

    @Option(names = "--config", scope = ScopeType.INHERIT, paramLabel = "FILE",
            description = "configuration file (default: ${DEFAULT-VALUE})", defaultValue = "/etc/station-agent/agent.yaml")
    Path config;

    @Spec CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Loads the configuration or prints each bad key and returns null. */
    static AgentConfig loadConfig(Path file, PrintWriter err) {
        try {
            return new ConfigLoader(System.getenv()).load(file == null ? ConfigLoader.DEFAULT_FILE : file);
        } catch (InvalidConfiguration e) {
            err.println(e.getMessage());
            err.flush();
            return null;
        }
    }

    /** The --config value of the root command, for subcommands. */
    static Path configOf(CommandSpec sub) {
        CommandLine root = sub.commandLine();
        while (root.getParent() != null) root = root.getParent();
        return ((AgentCommand) root.getCommand()).config;
    }
}
