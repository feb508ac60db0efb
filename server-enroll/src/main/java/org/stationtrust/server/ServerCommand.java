package org.stationtrust.server;

import java.nio.file.Path;
import java.util.Map;
import org.stationtrust.server.internal.boot.EventLogCommand;
import org.stationtrust.server.internal.store.SchemaNewerThanServer;
import org.stationtrust.server.internal.store.UnsupportedDatabaseUrl;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/**
 * The command line: serve, migrate, user add, token issue, audit verify, eventlog (server-enroll/README.md).
 * Option defaults may come from the file named by SERVER_ENROLL_CONFIG ({@link ConfigFile}). Each subcommand group
 * is its own class in this package; {@link DbOptions} is the database they share.
 */
@Command(name = "server-enroll", mixinStandardHelpOptions = true, version = "server-enroll 0.1.0",
        description = "station-trust enrollment server",
        subcommands = {ServeCommand.class, MigrateCommand.class, UserCommands.class, TokenCommands.class,
                AuditCommands.class, HistoryCommands.class, EventLogCommand.class})
public final class ServerCommand {
    static Map<String, String> environment = System.getenv();

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /**
     * sysexits.h EX_CONFIG: the configuration is unusable in a way that trying again cannot change (an invalid
     * configuration file, a database URL of no supported kind, a database a later release migrated); the package's
     * unit does not restart on it. Every other failure (e.g. a database that does not answer) exits 2, and is retried.
     */
    static final int EXIT_CONFIG = 78;

    public static int run(String... args) {
        CommandLine cli = new CommandLine(new ServerCommand()).setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("error: " + e.getMessage());
            return retryCannotHelp(e) ? EXIT_CONFIG : 2;
        });
        String configFile = environment.get(ConfigFile.ENVIRONMENT_VARIABLE);
        if (configFile != null && !configFile.isBlank()) {
            try {
                cli.setDefaultValueProvider(ConfigFile.read(Path.of(configFile),
                        ConfigFile.optionNames(cli.getSubcommands().get("serve").getCommandSpec())));
            } catch (IllegalArgumentException e) {
                cli.getErr().println("error: " + e.getMessage());
                return EXIT_CONFIG;
            }
        }
        return cli.execute(args);
    }

    private static boolean retryCannotHelp(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnsupportedDatabaseUrl || t instanceof SchemaNewerThanServer) return true;
        }
        return false;
    }
}
