package org.stationtrust.sbi.simulator;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.stationtrust.sbi.simulator.internal.CertificateIssuer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Command line: runs simulated SBI devices on 127.0.0.1 until Ctrl-C. See README.md. */
@Command(name = "sbi-simulator", mixinStandardHelpOptions = true, version = "sbi-simulator 0.1.0 (SBI 0.9.5)",
        description = "Reference SBI 0.9.5 device service: finger slap, iris double and face on 127.0.0.1,"
                + " with fault modes for testing clients.")
public final class Main implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--devices", split = ",", defaultValue = "finger,iris,face",
            description = "Devices to start, comma-separated: finger, iris, face (default: ${DEFAULT-VALUE}).")
    List<String> devices = new ArrayList<>();

    @Option(names = "--port", description = "First port: devices use consecutive free ports from here, up to 4600"
            + " (or the next 100 ports above 4600). Default: first free in 4501-4600; 0 = any free port.")
    Integer port;

    @Option(names = "--fault", defaultValue = "NONE", description = "Fault mode at start, one of: ${COMPLETION-CANDIDATES}.")
    FaultMode fault = FaultMode.NONE;

    @Option(names = "--status", defaultValue = "Ready", description = "Status at start: Ready, Busy, Not Ready, Not Registered.")
    String status = "Ready";

    @Option(names = "--quality", defaultValue = "80", description = "qualityScore of captures, 0-100.")
    int quality = 80;

    @Option(names = "--no-biometric", description = "Start with nothing presented: captures end with 101 at their timeout.")
    boolean noBiometric;

    @Option(names = "--capture-delay-ms", defaultValue = "300", description = "How long a capture takes (ms).")
    long captureDelayMs = 300;

    @Option(names = "--ca-out", description = "Write the device-provider CA certificate (PEM) here.")
    Path caOut;

    @Option(names = "--l1-ftm-ca-out", description = "Play L1 devices: generate an FTM-provider CA (apart from the"
            + " device-provider CA), issue each device's FTM chip key (signing its digitalId) from it, and write the FTM"
            + " CA certificate (PEM) here.")
    Path ftmCaOut;

    @Option(names = "--state-out", description = "After start, write a JSON array of the devices' admin state"
            + " (kind, port, callbackId, serialNo, ...) here, for scripts and process-based tests.")
    Path stateOut;

    @Option(names = "--ca-p12", description = "Load the device-provider CA (key + certificate) from this PKCS12 file."
            + " Password from env SBI_SIM_CA_PASSWORD or --ca-password-file.")
    Path caP12;

    @Option(names = "--ca-password-file", description = "File holding the PKCS12 password (one line).")
    Path caPasswordFile;

    @Option(names = "--device-p12", description = "Sign with the device key + certificate of this PKCS12 file"
            + " (one device only). Password from env SBI_SIM_DEVICE_PASSWORD or --device-password-file.")
    Path deviceP12;

    @Option(names = "--device-password-file", description = "File holding the device PKCS12 password (one line).")
    Path devicePasswordFile;

    @Option(names = {"--ca-cert-pem"}, description = "Load the CA certificate from PEM (with --ca-key-pem).")
    Path caCertPem;

    @Option(names = {"--ca-key-pem"}, description = "Load the CA private key from PEM (unencrypted PKCS#8 or RSA).")
    Path caKeyPem;

    @Option(names = "--encryption-cert", description = "PEM certificate authentication CAPTURE encrypts to.")
    Path encryptionCert;

    @Option(names = "--keep-alive", description = "Keep connections open (default: close after each answer, as deployed devices do).")
    boolean keepAlive;

    @Option(names = "--purpose", defaultValue = "Registration", description = "Registration or Auth.")
    String purpose = "Registration";

    @Option(names = "--format", defaultValue = "DEFAULT",
            description = "Wire-format strictness: DEFAULT, MOSIP_STRICT (what MOSIP's toolkit accepts), LOOSE.")
    SbiFormat format = SbiFormat.DEFAULT;

    @Option(names = "--wsq", description = "Authentication finger images WSQ-compressed (ISO 19794-4 compression 2)"
            + " instead of JPEG 2000 lossy (MOSIP accepts both).")
    boolean wsq;

    private static final String LOGBACK_CONFIGURATION = "logback.configurationFile";
    /** The program's Logback configuration, a class path resource of this module. */
    static final String LOG_CONFIGURATION = "sbi-simulator-logback.xml";

    public static void main(String[] args) {
        // One JSON line per event on stderr (docs/logging.md), unless the user names a Logback configuration.
        if (System.getProperty(LOGBACK_CONFIGURATION) == null) {
            System.setProperty(LOGBACK_CONFIGURATION, LOG_CONFIGURATION);
        }
        System.exit(new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        SimulatorConfig.Builder b = SimulatorConfig.builder(DeviceKind.FINGER_SLAP)
                .fault(fault)
                .status(DeviceStatus.parse(status))
                .quality(quality)
                .biometricPresented(!noBiometric)
                .captureDelay(Duration.ofMillis(captureDelayMs))
                .purpose(purpose)
                .format(format)
                .wsqAuthFingers(wsq)
                .closeConnections(!keepAlive)
                .ca(loadCa());
        DeviceProviderCa ftmCa = ftmCaOut == null ? null : DeviceProviderCa.generate("Simulated FTM Provider CA");
        b.ftmCa(ftmCa);
        if (port != null) {
            if (port == 0) {
                b.anyFreePort();
            } else {
                // Inside the SBI range, stay in it; elsewhere, look through the next hundred ports.
                b.firstFreePortIn(port, port <= SimulatorConfig.SBI_LAST_PORT ? SimulatorConfig.SBI_LAST_PORT
                        : Math.min(65535, port + 99));
            }
        }
        if (deviceP12 != null) {
            if (devices.size() != 1) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--device-p12 signs for one device: pass exactly one of --devices finger|iris|face");
            }
            b.deviceKey(DeviceKey.fromPkcs12(deviceP12, password(devicePasswordFile, "SBI_SIM_DEVICE_PASSWORD", "--device-p12")));
        }
        if (encryptionCert != null) {
            b.encryptionCertificate(CertificateIssuer.parseCertificate(Files.readAllBytes(encryptionCert)));
        }
        List<DeviceKind> kinds = devices.stream().map(DeviceKind::parse).toList();
        SimulatedDevices running = SimulatedDevices.start(b.build(), kinds);
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        if (caOut != null) {
            running.ca().writeCertificatePem(caOut);
            out.println("device-provider CA certificate written to " + caOut.toAbsolutePath());
        }
        if (ftmCa != null) {
            ftmCa.writeCertificatePem(ftmCaOut);
            out.println("FTM-provider CA certificate (L1 chip keys) written to " + ftmCaOut.toAbsolutePath());
        }
        for (SimulatedDevice d : running.all()) {
            out.println("started " + d.kind() + " deviceId=" + d.deviceId() + " serial=" + d.serialNumber()
                    + " at " + d.callbackUrl() + " (admin: " + d.callbackUrl() + "admin/state)"
                    + " certification=" + d.certification() + " status=" + d.status().wire() + " fault=" + d.fault());
        }
        if (stateOut != null) {
            writeState(running, stateOut);
            out.println("device state written to " + stateOut.toAbsolutePath());
        }
        out.println("Ctrl-C to stop.");
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            running.close();
            stopped.countDown();
        }, "sbi-simulator-shutdown"));
        stopped.await();
        return 0;
    }

    private static void writeState(SimulatedDevices running, Path file) throws IOException {
        StringBuilder json = new StringBuilder("[");
        for (SimulatedDevice d : running.all()) {
            if (json.length() > 1) {
                json.append(',');
            }
            json.append(d.stateJson());
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, json.append("]\n").toString(), StandardCharsets.UTF_8);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private DeviceProviderCa loadCa() throws IOException {
        if (caP12 != null) {
            return DeviceProviderCa.fromPkcs12(caP12, password(caPasswordFile, "SBI_SIM_CA_PASSWORD", "--ca-p12"));
        }
        if (caCertPem != null || caKeyPem != null) {
            if (caCertPem == null || caKeyPem == null) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--ca-cert-pem and --ca-key-pem go together");
            }
            return DeviceProviderCa.fromPem(caCertPem, caKeyPem);
        }
        return DeviceProviderCa.generate("Simulated Device Provider CA");
    }

    /** Secrets come from the environment or a file, never from the command line. */
    private char[] password(Path file, String variable, String option) throws IOException {
        if (file != null) {
            return Files.readString(file, StandardCharsets.UTF_8).strip().toCharArray();
        }
        String env = System.getenv(variable);
        if (env == null) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    option + " needs a password: set " + variable + " or pass " + option.replace("p12", "password-file"));
        }
        return env.toCharArray();
    }
}
