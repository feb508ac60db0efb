package org.stationtrust.scanner;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code breach-scanner scan ...}: exit 0 when nothing was found, 1 with a findings report, 2 when a source
 * could not be scanned or the command line is wrong. Listed secrets come from {@code --secrets-file} or the
 * environment ({@code BREACH_SCANNER_SECRETS}, one per line, or {@code BREACH_SCANNER_SECRETS_FILE}), never
 * from the command line, where other users could read them.
 */
@Command(name = "breach-scanner", mixinStandardHelpOptions = true, subcommands = Main.Scan.class,
        description = "Finds biometric values and secrets stored in plaintext.")
public final class Main implements Callable<Integer> {
    public static final int CLEAN = 0;
    public static final int FOUND = 1;
    public static final int FAILED = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(System.getenv(), new PrintWriter(System.out, true, StandardCharsets.UTF_8),
                new PrintWriter(System.err, true, StandardCharsets.UTF_8), args));
    }

    /** Runs one command with the given environment and returns its exit code. */
    public static int run(Map<String, String> env, PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExitCodeExceptionMapper(e -> FAILED);
        ((Scan) cli.getSubcommands().get("scan").getCommand()).env = env;
        int code = cli.execute(args);
        return code == CommandLine.ExitCode.USAGE ? FAILED : code;
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return FAILED;
    }

    /** The scan subcommand. */
    @Command(name = "scan", mixinStandardHelpOptions = true, description = "Scan databases, directories and logs.")
    static final class Scan implements Callable<Integer> {
        Map<String, String> env = Map.of();

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--sqlite", paramLabel = "FILE", arity = "1..*", description = "SQLite database file (raw bytes, -wal/-journal, every cell)")
        List<Path> sqlite = new ArrayList<>();

        @Option(names = "--jdbc", paramLabel = "URL", arity = "1..*", description = "jdbc:postgresql: or jdbc:sqlite: URL (every cell)")
        List<String> jdbc = new ArrayList<>();

        @Option(names = "--jdbc-user", paramLabel = "USER", description = "database user; password from BREACH_SCANNER_DB_PASSWORD")
        String jdbcUser;

        @Option(names = "--dir", paramLabel = "DIR", arity = "1..*", description = "directory, scanned recursively without following links")
        List<Path> dirs = new ArrayList<>();

        @Option(names = "--log", paramLabel = "FILE", arity = "1..*", description = "log file (.gz is decompressed)")
        List<Path> logs = new ArrayList<>();

        @Option(names = "--exclude", paramLabel = "NAME", arity = "1..*",
                description = "file name to skip inside --dir (a secret kept there by design, e.g. api-token); listed as skipped")
        List<String> excluded = new ArrayList<>();

        @Option(names = "--secrets-file", paramLabel = "FILE", description = "passwords and personal data to look for, one per line")
        Path secretsFile;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            try {
                List<ScanTargets.Database> databases = new ArrayList<>();
                for (String url : jdbc) {
                    databases.add(new ScanTargets.Database(url, Optional.ofNullable(jdbcUser),
                            Optional.ofNullable(env.get("BREACH_SCANNER_DB_PASSWORD"))));
                }
                ScanTargets targets = new ScanTargets(sqlite, databases, dirs, logs, excluded);
                ScanReport report = BreachScanner.withListedSecrets(listedSecrets()).scan(targets);
                out.print(report.render());
                out.flush();
                return report.clean() ? CLEAN : FOUND;
            } catch (ScanFailed | IllegalArgumentException | IOException e) {
                err.println("breach-scanner: " + e.getMessage());
                err.flush();
                return FAILED;
            }
        }

        private List<String> listedSecrets() throws IOException {
            List<String> values = new ArrayList<>();
            Path file = secretsFile != null ? secretsFile
                    : env.containsKey("BREACH_SCANNER_SECRETS_FILE") ? Path.of(env.get("BREACH_SCANNER_SECRETS_FILE")) : null;
            if (file != null) values.addAll(lines(Files.readString(file, StandardCharsets.UTF_8)));
            if (env.containsKey("BREACH_SCANNER_SECRETS")) values.addAll(lines(env.get("BREACH_SCANNER_SECRETS")));
            return values;
        }

        private static List<String> lines(String text) {
            List<String> out = new ArrayList<>();
            for (String line : text.split("\r?\n")) {
                if (!line.isBlank()) out.add(line.strip());
            }
            return out;
        }
    }
}
