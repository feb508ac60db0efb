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

    @Option(names = "--case", description = "Only these case ids (repeatable); a MOSIP id (SBI1001) selects every case mapped to it.")
    List<String> caseIds = new ArrayList<>();

    @Option(names = "--tag", description = "Only cases carrying one of these tags (repeatable), e.g. robustness, hash-chain.")
    List<String> tags = new ArrayList<>();

    @Option(names = "--non-interactive", description = "Never prompt: cases that need an operator are skipped.")
    boolean nonInteractive;

    @Option(names = "--case-timeout", defaultValue = "120", description = "Seconds a case may take (default ${DEFAULT-VALUE}).")
    int caseTimeoutSeconds;

    @Option(names = "--grace-ms", defaultValue = "2000", description = "How late after its timeout a capture may answer (default ${DEFAULT-VALUE}).")
    int graceMs;

    @Option(names = "--skew-seconds", description = "Allowed timestamp skew, both directions (default: 300 in the spec profile, 180 in mosip).")
    Integer skewSeconds;

    @Option(names = "--profile", defaultValue = "spec",
            description = "Rule book: spec (SBI 0.9.5 as written; default) or mosip (what MOSIP's toolkit 1.4.x enforces).")
    String profile;

    @Option(names = "--ready-wait-seconds", defaultValue = "15",
            description = "Between cases, how long to wait for a Busy device to report Ready (default ${DEFAULT-VALUE}).")
    int readyWaitSeconds;

    @Option(names = "--ftm-ca", description = "PEM file(s) of the FTM provider CA that L1 devices' chip keys (signing digitalId) chain to.")
    List<Path> ftmCa = new ArrayList<>();

    @Option(names = "--organisation", description = "The device provider's organisation: the subject O every device signing certificate must name.")
    String organisation;

    @Option(names = "--lab", defaultValue = "", description = "The certification lab, named in the reports.")
    String lab;

    @Option(names = "--operator", defaultValue = "", description = "The person running the tests, named in the reports.")
    String operatorName;

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
        Profile rules = Profile.parse(profile);
        List<X509Certificate> cas = readCertificates(vendorCa);
        DeviceTrustStore trust = DeviceTrustStore.of(cas);
        int devicePort = devicePort(trust);
        Harness.Builder builder = Harness.builder(devicePort, trust)
                .deviceId(deviceId).deviceType(type).harnessKey(key).env(env).profile(rules)
                .readyWait(Duration.ofSeconds(readyWaitSeconds)).lab(lab, operatorName).vendorCaCertificates(cas)
                .ftmCaCertificates(ftmCa.isEmpty() ? List.of() : readCertificates(ftmCa)).organisation(organisation)
                .catalogue(catalogue)
                .caseTimeout(Duration.ofSeconds(caseTimeoutSeconds)).grace(Duration.ofMillis(graceMs))
                .allowedAlgorithms(java.util.Set.copyOf(allowedAlgorithms));
        if (skewSeconds != null) {
            builder.allowedSkew(Duration.ofSeconds(skewSeconds));
        }
        Harness harness = builder
                .operator(nonInteractive ? Operator.automatic() : new TerminalOperator(
                        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)), stderr), !nonInteractive)
                .listener(new ProgressBar(stderr)).build();
        AtomicBoolean finished = new AtomicBoolean();
        Thread hook = new Thread(() -> {
            if (!finished.get()) {
                writeReports(harness.snapshot(), "interrupted: partial ");
            }
        }, "ctk-partial-report");
        this.signingKey = key;
        Runtime.getRuntime().addShutdownHook(hook);
        RunReport report = harness.run(selected);
        finished.set(true);
        Runtime.getRuntime().removeShutdownHook(hook);
        writeReports(report, "");
        stdout.printf("%d passed, %d failed, %d skipped; harness %.1f%% of %.1f s; exit code %d%n",
                report.count(CaseResult.Outcome.PASSED), report.count(CaseResult.Outcome.FAILED),
                report.count(CaseResult.Outcome.SKIPPED), report.timing().harnessPercent(),
                report.timing().wallMs() / 1000, report.exitCode());
        if (!report.needingPerson().isEmpty()) {
            stdout.printf("NOT YET CERTIFIABLE: %d cases need a person at the device; run again without"
                    + " --non-interactive to complete them: %s%n", report.needingPerson().size(),
                    report.needingPerson().stream().map(CaseResult::id).toList());
        }
        report.latency().forEach((verb, l) -> stdout.printf("  %-10s n=%-4d p50 %.1f ms  p90 %.1f ms  p99 %.1f ms  max %.1f ms%n",
                verb, l.count(), l.p50(), l.p90(), l.p99(), l.max()));
        return report.exitCode();
    }

    /** The cases the options select; a typo must not shrink the run to nothing that then passes. */
    private List<TestCase> selectedCases(Catalogue catalogue) {
        Profile.parse(profile); // an unknown profile is a usage error before anything runs
        List<String> unknown = caseIds.stream().filter(id -> catalogue.cases().stream()
                .noneMatch(c -> c.id().equals(id) || c.mosipIds().contains(id))).toList();
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
                && (caseIds.isEmpty() || caseIds.contains(c.id()) || c.mosipIds().stream().anyMatch(caseIds::contains))
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

    /**
     * {@code verify-report REPORT.json}: exit 0 only when REPORT.json.jws verifies over the report's
     * bytes; prints the signing key's SHA-256 fingerprint for the lab to compare with the one it trusts.
     */
    @Command(name = "verify-report", description = "Verify a signed JSON report (REPORT.json with REPORT.json.jws beside it).")
    int verifyReport(@CommandLine.Parameters(paramLabel = "REPORT.json") Path report) throws IOException {
        try {
            String fingerprint = Reports.verify(report);
            stdout.println("OK: " + report + " is signed by the harness key with certificate SHA-256 " + fingerprint);
            return 0;
        } catch (Reports.InvalidReport e) {
            stdout.println("NOT VERIFIED: " + report + ": " + e.getMessage());
            return 1;
        }
    }

    private volatile HarnessKey signingKey;

    private void writeReports(RunReport report, String label) {
        try {
            List<Path> files = signingKey == null ? Reports.writeAll(report, out) : Reports.writeAll(report, out, signingKey);
            stderr.println("Wrote " + label + "reports: " + files);
        } catch (IOException e) {
            stderr.println("Could not write the reports to " + out + ": " + e.getMessage());
        }
    }

}
