package org.stationtrust.ctk;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import org.stationtrust.ctk.internal.run.ProgressBar;
import org.stationtrust.ctk.internal.run.TerminalOperator;
import org.stationtrust.sbi.client.DeviceTrustStore;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The command line: pick the device, the cases and the options, run, write the reports, and exit
 * with 0 only if every selected case passed (1 a case failed, 2 usage error, 3 interrupted).
 */
@Command(name = "ctk-harness", mixinStandardHelpOptions = true, version = "ctk-harness 0.1.0 (SBI 0.9.5)",
        description = "Runs the SBI 0.9.5 compliance catalogue against a device service on 127.0.0.1.")
public final class Main implements Callable<Integer> {

    @Option(names = "--port", description = "Port of the device service (127.0.0.1).")
    Integer port;

    @Option(names = "--discover", description = "Find the device by scanning the SBI ports (see --port-range).")
    boolean discover;

    @Option(names = "--port-range", defaultValue = "4501-4600", description = "Ports scanned by --discover (default ${DEFAULT-VALUE}).")
    String portRange;

    @Option(names = "--device-id", description = "deviceId to test when the service lists several devices.")
    String deviceId;

    @Option(names = "--vendor-ca", description = "PEM file(s) of the device-provider CA the device chains to.")
    List<Path> vendorCa = new ArrayList<>();

    @Option(names = "--harness-key-dir", defaultValue = "ctk-harness-key",
            description = "Where the harness keeps its encryption key and certificate (created if absent; default ${DEFAULT-VALUE}).")
    Path keyDir;

    @Option(names = "--export-cert", description = "Create the harness key if needed, print where its certificate is, and exit.")
    boolean exportCert;

    @Option(names = "--purpose", description = "Only cases of this purpose: Registration or Auth.")
    String purpose;

    @Option(names = "--type", description = "Only cases for this modality: Finger, Iris or Face (also picks the device with --discover).")
    String type;

    @Option(names = "--case", description = "Only these case ids (repeatable).")
    List<String> caseIds = new ArrayList<>();

    @Option(names = "--tag", description = "Only cases carrying one of these tags (repeatable), e.g. robustness, hash-chain.")
    List<String> tags = new ArrayList<>();

    @Option(names = "--non-interactive", description = "Never prompt: cases that need an operator are skipped.")
    boolean nonInteractive;

    @Option(names = "--case-timeout", defaultValue = "120", description = "Seconds a case may take (default ${DEFAULT-VALUE}).")
    int caseTimeoutSeconds;

    @Option(names = "--grace-ms", defaultValue = "2000", description = "How late after its timeout a capture may answer (default ${DEFAULT-VALUE}).")
    int graceMs;

    @Option(names = "--skew-seconds", defaultValue = "300", description = "Allowed timestamp skew, both directions (default ${DEFAULT-VALUE}).")
    int skewSeconds;

    @Option(names = "--allowed-alg", defaultValue = "RS256",
            description = "JWS algorithms accepted from the device (repeatable; default ${DEFAULT-VALUE}, never none).")
    List<String> allowedAlgorithms;

    @Option(names = "--env", defaultValue = "Staging", description = "env sent in capture requests (default ${DEFAULT-VALUE}).")
    String env;

    @Option(names = "--out", defaultValue = "ctk-reports", description = "Directory for the reports (default ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--list", description = "List the selected cases and the catalogue counts, then exit.")
    boolean list;

    @Option(names = "--mosip-map", description = "Print how each MOSIP id SBI1000-SBI1199 maps to our cases, then exit.")
    boolean mosipMap;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private final PrintStream stdout;
    private final PrintStream stderr;

    Main(PrintStream stdout, PrintStream stderr) {
        this.stdout = stdout;
        this.stderr = stderr;
    }

    public static void main(String[] args) {
        System.exit(execute(args, System.out, System.err));
    }

    /** Runs the command and returns its exit code (for tests and {@link #main}). */
    public static int execute(String[] args, PrintStream stdout, PrintStream stderr) {
        CommandLine cl = new CommandLine(new Main(stdout, stderr));
        cl.setOut(new java.io.PrintWriter(new java.io.OutputStreamWriter(stdout, StandardCharsets.UTF_8), true));
        cl.setErr(new java.io.PrintWriter(new java.io.OutputStreamWriter(stderr, StandardCharsets.UTF_8), true));
        cl.setExecutionExceptionHandler((e, commandLine, parsed) -> {
            // A file the vendor named cannot be read: a usage problem (exit 2), never "a case failed" (exit 1).
            if (e instanceof IOException || e instanceof java.security.GeneralSecurityException
                    || e instanceof IllegalArgumentException) {
                stderr.println("ctk-harness: " + e.getMessage());
                return 2;
            }
            throw e;
        });
        return cl.execute(args);
    }

    @Override
    public Integer call() throws Exception {
        Catalogue catalogue = Catalogue.builtIn();
        if (mosipMap) {
            catalogue.mosipMapping().forEach((k, v) -> stdout.println(k + " -> " + v));
            return 0;
        }
        List<TestCase> selected = selectedCases(catalogue);
        if (list) {
            selected.forEach(c -> stdout.printf("%-40s %-13s %-22s %s%s%n", c.id(), c.purpose(), c.category(),
                    c.name(), c.needsOperator() ? " [needs operator]" : ""));
            stdout.println(selected.size() + " cases selected; catalogue counts: " + catalogue.summary());
            return 0;
        }
        if (vendorCa.isEmpty() && !exportCert) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--vendor-ca is required: the PEM certificate of the device-provider CA your device chains to");
        }
        HarnessKey key = HarnessKey.loadOrCreate(keyDir);
        if (exportCert) {
            stdout.println("Harness certificate: " + keyDir.resolve(HarnessKey.CERT_FILE).toAbsolutePath());
            stdout.println("Configure it on the device as the server certificate that CAPTURE encrypts to.");
            return 0;
        }
        DeviceTrustStore trust = DeviceTrustStore.of(readCertificates(vendorCa));
        int devicePort = devicePort(trust);
        Harness harness = Harness.builder(devicePort, trust)
                .deviceId(deviceId).harnessKey(key).env(env)
                .caseTimeout(Duration.ofSeconds(caseTimeoutSeconds)).grace(Duration.ofMillis(graceMs))
                .allowedSkew(Duration.ofSeconds(skewSeconds)).allowedAlgorithms(java.util.Set.copyOf(allowedAlgorithms))
                .operator(nonInteractive ? Operator.automatic() : new TerminalOperator(
                        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)), stderr), !nonInteractive)
                .listener(new ProgressBar(stderr)).build();
        AtomicBoolean finished = new AtomicBoolean();
        Thread hook = new Thread(() -> {
            if (!finished.get()) {
                writeReports(harness.snapshot(), "interrupted: partial ");
            }
        }, "ctk-partial-report");
        Runtime.getRuntime().addShutdownHook(hook);
        RunReport report = harness.run(selected);
        finished.set(true);
        Runtime.getRuntime().removeShutdownHook(hook);
        writeReports(report, "");
        stdout.printf("%d passed, %d failed, %d skipped; harness %.1f%% of %.1f s; exit code %d%n",
                report.count(CaseResult.Outcome.PASSED), report.count(CaseResult.Outcome.FAILED),
                report.count(CaseResult.Outcome.SKIPPED), report.timing().harnessPercent(),
                report.timing().wallMs() / 1000, report.exitCode());
        report.latency().forEach((verb, l) -> stdout.printf("  %-10s n=%-4d p50 %.1f ms  p90 %.1f ms  p99 %.1f ms  max %.1f ms%n",
                verb, l.count(), l.p50(), l.p90(), l.p99(), l.max()));
        return report.exitCode();
    }

    /** The cases the options select; a typo must not shrink the run to nothing that then passes. */
    private List<TestCase> selectedCases(Catalogue catalogue) {
        List<String> unknown = caseIds.stream().filter(id -> catalogue.cases().stream().noneMatch(c -> c.id().equals(id))).toList();
        if (!unknown.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "unknown case id(s) " + unknown
                    + "; --list shows the catalogue's ids");
        }
        List<TestCase> selected = catalogue.select(this::selected);
        if (selected.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "no case matches the selection (--purpose, "
                    + "--type, --case, --tag); a run of nothing would pass vacuously: --list shows what exists");
        }
        return selected;
    }

    private boolean selected(TestCase c) {
        return (purpose == null || c.purpose().equalsIgnoreCase(purpose) || "Any".equals(c.purpose()))
                && (type == null || c.deviceTypes().stream().anyMatch(t -> t.equalsIgnoreCase(type)))
                && (caseIds.isEmpty() || caseIds.contains(c.id()))
                && (tags.isEmpty() || c.tags().stream().anyMatch(tags::contains));
    }

    private int devicePort(DeviceTrustStore trust) {
        if (port != null) {
            return port;
        }
        if (!discover) {
            throw new CommandLine.ParameterException(spec.commandLine(), "give --port N or --discover");
        }
        java.util.regex.Matcher range = java.util.regex.Pattern.compile("\\s*(\\d{1,5})\\s*-\\s*(\\d{1,5})\\s*").matcher(portRange);
        int first = range.matches() ? Integer.parseInt(range.group(1)) : -1;
        int last = range.matches() ? Integer.parseInt(range.group(2)) : -1;
        if (first < 1 || last > 65535 || first > last) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--port-range '" + portRange
                    + "' is not FIRST-LAST with 1 <= FIRST <= LAST <= 65535, e.g. 4501-4600");
        }
        List<Integer> ports = Harness.discoverPorts(first, last, type, trust, stderr);
        if (ports.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "no SBI device answered discovery on ports "
                    + portRange + (type == null ? "" : " for type " + type) + "; is the device service running?");
        }
        stderr.println("Testing the device on port " + ports.get(0) + (ports.size() > 1 ? " (also found: " + ports.subList(1, ports.size()) + ")" : ""));
        return ports.get(0);
    }

    private static List<X509Certificate> readCertificates(List<Path> files) throws IOException, CertificateException {
        List<X509Certificate> certs = new ArrayList<>();
        CertificateFactory f = CertificateFactory.getInstance("X.509");
        for (Path p : files) {
            if (!Files.isRegularFile(p)) {
                throw new IOException("--vendor-ca " + p + " is not a readable file; give the device-provider CA "
                        + "certificate (PEM)");
            }
            if (Files.size(p) > 1024 * 1024) {
                throw new IOException(p + " is larger than 1 MiB; expected a PEM CA certificate");
            }
            try (var in = Files.newInputStream(p)) {
                f.generateCertificates(in).forEach(c -> certs.add((X509Certificate) c));
            } catch (CertificateException e) {
                throw new CertificateException("--vendor-ca " + p + " is not a PEM X.509 certificate (" + e.getMessage()
                        + "); export the device-provider CA certificate as PEM", e);
            }
        }
        if (certs.isEmpty()) {
            throw new IOException("no certificate in " + files + "; expected PEM CA certificates");
        }
        return certs;
    }

    private void writeReports(RunReport report, String label) {
        try {
            List<Path> files = Reports.writeAll(report, out);
            stderr.println("Wrote " + label + "reports: " + files);
        } catch (IOException e) {
            stderr.println("Could not write the reports to " + out + ": " + e.getMessage());
        }
    }

}
