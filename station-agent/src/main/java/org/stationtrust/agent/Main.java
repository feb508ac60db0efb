package org.stationtrust.agent;

import java.io.PrintWriter;
import org.stationtrust.agent.internal.cli.AgentCommand;
import picocli.CommandLine;

/** {@code station-agent}: the command line of the station agent (see station-agent/README.md). */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(new PrintWriter(new java.io.OutputStreamWriter(System.out, java.nio.charset.StandardCharsets.UTF_8), true),
                new PrintWriter(new java.io.OutputStreamWriter(System.err, java.nio.charset.StandardCharsets.UTF_8), true), args));
    }

    /** Runs one command and returns its exit code (0 ok, 1 failed, 2 usage, 78 bad configuration). */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new AgentCommand());
        cli.setOut(out);
        cli.setErr(err);
        return cli.execute(args);
    }
}
