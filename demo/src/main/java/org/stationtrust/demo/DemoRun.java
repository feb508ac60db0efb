package org.stationtrust.demo;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.stationtrust.sbi.simulator.DeviceKind;
import org.stationtrust.sbi.simulator.DeviceProviderCa;
import org.stationtrust.sbi.simulator.SimulatedDevice;
import org.stationtrust.sbi.simulator.SimulatedDevices;
import org.stationtrust.sbi.simulator.SimulatorConfig;
import org.stationtrust.tpm.EndorsementKey;
import org.stationtrust.tpm.IdentityConfig;
import org.stationtrust.tpm.MachineIdentity;
import org.stationtrust.tpm.TpmConnection;
import org.stationtrust.tpm.eventlog.EventLog;
import org.stationtrust.tpm.eventlog.EventType;
import org.stationtrust.tpm.eventlog.MeasuredEvent;
import org.stationtrust.tpm.simulator.SoftwareTpm;
import org.stationtrust.tpm.verify.HashAlgorithm;

/**
 * The whole story on one machine: a software TPM, the enrollment server and the station agent as their own
 * processes (started through their command lines), the simulated SBI devices, and the CTK. Every part is
 * reached through its public API, its CLI or its HTTP API only. {@link #close} stops everything it started.
 */
final class DemoRun implements AutoCloseable {
    static final String IDENTITY = "machine identity provisioned";
    static final String BOOT = "boot measured into the TPM from a real event log";
    static final String SERVER = "enrollment server started";
    static final String DEVICES = "SBI devices started";
    static final String AGENT = "agent started";
    static final String ENROLLMENT = "enrollment requested with a one-time token";
    static final String ACTIVATION = "credential activated";
    static final String APPROVAL = "approved by the admin";
    static final String ATTESTATION = "attested (PCRs quoted, boot judged by its event log)";
    static final String DISCOVERY = "devices discovered";
    static final String REGISTRATION = "full registration captured and verified";
    static final String PACKETS = "packets signed by the TPM, verified by the server";
    static final String CTK = "CTK catalogue run against the simulator";
    static final String AUDIT = "audit logs verified";
    static final List<String> STEPS = List.of(IDENTITY, BOOT, SERVER, DEVICES, AGENT, ENROLLMENT, ACTIVATION, APPROVAL,
            ATTESTATION, DISCOVERY, REGISTRATION, PACKETS, CTK, AUDIT);

    private static final String[][] REGISTRATION_ORDERS = {
        {"Finger", "1", "left slap"}, {"Finger", "2", "right slap"}, {"Finger", "3", "thumbs"},
        {"Iris", "3", "both irises"}, {"Face", "0", "face"}};

    private final Path work;
    private final Story story;
    /** The real boot log the demo "boots" (resources, eventlog/README.md) and the agent's copy of it. */
    static final String EVENT_LOG = "eventlog/rhel8-uefi.bin";
    private static final String POLICY = "rhel8-vm-fleet";
    private SoftwareTpm tpm;
    private Path eventLog;
    private ServerProcess server;
    private SimulatedDevices devices;
    private AgentProcess agent;

    private JsonHttp operator;
    private JsonHttp local;
    private String machineId;
    private final List<String> packets = new ArrayList<>();
    private Path deviceCa;
    private Path ftmCa;
    long serverRssKb;
    long agentRssKb;
    final List<Path> ctkReports = new ArrayList<>();

    DemoRun(Path work, Story story) {
        this.work = work;
        this.story = story;
    }

    void tell() throws Story.StepFailed {
        story.step(IDENTITY, this::provisionIdentity);
        story.step(BOOT, this::measureBoot);
        story.step(SERVER, this::startServer);
        story.step(DEVICES, this::startDevices);
        story.step(AGENT, this::startAgent);
        story.step(ENROLLMENT, this::awaitEnrollment);
        story.step(ACTIVATION, this::awaitActivation);
        story.step(APPROVAL, this::approve);
        story.step(ATTESTATION, this::awaitAttestation);
        story.step(DISCOVERY, this::discover);
        story.step(REGISTRATION, this::register);
        story.step(PACKETS, this::verifyPackets);
        story.step(CTK, this::runCtk);
        story.step(AUDIT, this::verifyAuditLogs);
    }

    private String provisionIdentity() throws Exception {
        tpm = SoftwareTpm.start(Files.createDirectories(work.resolve("tpm")));
        story.say("software TPM (swtpm) at %s, EK certificates from its local CA in %s", tpm.uri(), tpm.caDirectory());
        try (TpmConnection connection = TpmConnection.open(tpm.uri())) {
            MachineIdentity identity = MachineIdentity.provision(connection, IdentityConfig.defaults());
            EndorsementKey ek = identity.endorsementKey();
            story.say("EK %s, certificate issued by %s", ek.kind(), ek.certificate().getIssuerX500Principal().getName());
            story.say("attestation key   0x%08x  SHA-256 %s", identity.attestationKey().handle(),
                    fingerprint(identity.attestationKey().publicKey()));
            story.say("machine key       0x%08x  SHA-256 %s (ECC P-256, never leaves the TPM)",
                    identity.machineKey().handle(), fingerprint(identity.machineKey().publicKey()));
            story.say("(keys at persistent handles: the agent, started below, finds and uses these same keys)");
            return "EK certificate by " + ek.certificate().getIssuerX500Principal().getName() + ", AK and machine key persisted";
        }
    }

    /**
     * swtpm has no firmware: play it. Every SHA-256 digest a real UEFI boot logged for PCRs 0-7 is extended into
     * swtpm's PCRs with tpm2-tools (a TPM client nobody here wrote), in log order, and the log goes where the agent
     * reads it; the server then judges that boot by the log against the quote.
     */
    private String measureBoot() throws Exception {
        byte[] bytes;
        try (var in = DemoRun.class.getResourceAsStream(EVENT_LOG)) {
            if (in == null) throw new IllegalStateException("the demo's event log " + EVENT_LOG + " is missing");
            bytes = in.readAllBytes();
        }
        EventLog log = EventLog.parse(bytes);
        if (log.startupLocality() != 0) {
            throw new IllegalStateException("this log starts PCR 0 at locality " + log.startupLocality()
                    + ", which an extend from tpm2-tools cannot reproduce");
        }
        List<String> extends_ = new ArrayList<>();
        for (MeasuredEvent e : log.events()) {
            if (e.pcr() < 0 || e.pcr() > 7 || e.type() == EventType.EV_NO_ACTION) continue;
            byte[] digest = e.digest(HashAlgorithm.SHA256).orElseThrow(() -> new IllegalStateException(
                    "event #" + e.index() + " has no SHA-256 digest")).value();
            extends_.add(e.pcr() + ":sha256=" + HexFormat.of().formatHex(digest));
        }
        for (int i = 0; i < extends_.size(); i += 16) {
            List<String> command = new ArrayList<>(List.of("tpm2_pcrextend"));
            command.addAll(extends_.subList(i, Math.min(extends_.size(), i + 16)));
            tpm2(command);
        }
        eventLog = Files.createDirectories(work.resolve("agent")).resolve("binary_bios_measurements");
        Files.write(eventLog, bytes);
        story.say("event log %s: RHEL 8 VM on GCE (google/go-eventlog test data, Apache-2.0), %s, %d events, banks %s",
                EVENT_LOG, log.format(), log.events().size(), log.banks());
        story.say("%d SHA-256 digests extended into PCRs 0-7 with tpm2_pcrextend, as the firmware did at that boot;",
                extends_.size());
        story.say("the log is where the agent reads it (tpm.event_log): %s", eventLog);
        return extends_.size() + " measurements of a real boot in swtpm's PCRs 0-7, log for the agent in " + eventLog;
    }

    private void tpm2(List<String> command) throws Exception {
        ProcessBuilder b = new ProcessBuilder(command).redirectErrorStream(true);
        b.environment().put("TPM2TOOLS_TCTI", tpm.tcti());
        Process p = b.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException(command.get(0) + " failed: " + out.strip());
        }
    }

    private String startServer() throws Exception {
        server = ServerProcess.start(work.resolve("server"), tpm.caDirectory(), story);
        operator = server.operator();
        JsonNode ready = operator.getOk("/ready");
        story.say("server-enroll serve --dev (pid %d) on SQLite %s, log %s", server.pid(), server.database(), server.log());
        story.say("TLS public key %s (pinned in the agent's configuration)", server.pin());
        // the fleet's boot policy: Secure Boot on, no debug, a boot log required (docs/measured-boot.md)
        operator.put("/api/v1/admin/boot-policies/" + POLICY, "{\"name\": \"" + POLICY + "\", \"requireSecureBoot\": true,"
                + " \"forbidDebug\": true, \"onNoEventLog\": \"fail\"}");
        operator.postOk("/api/v1/admin/boot-policies/" + POLICY + "/make-default",
                "{\"reason\": \"demo: every station of the fleet boots this way\"}");
        story.say("default boot policy '%s': Secure Boot required, no debug, no boot without its event log", POLICY);
        return server.url() + " " + ready.path("status").asText() + ", EK trust store = the TPM's local CA, boot policy "
                + POLICY;
    }

    private String startDevices() throws Exception {
        // below the kernel's ephemeral range (32768+), so no outgoing connection holds these ports
        int base = 10000 + ThreadLocalRandom.current().nextInt(20000);
        // MOSIP-strict: a device the compliance toolkit accepts (exact discovery types, JPEG 2000 ISO records).
        // L1 devices: each digitalId is signed by an FTM chip key whose CA (another partner) the station trusts apart.
        DeviceProviderCa ftmProvider = DeviceProviderCa.generate("Simulated FTM Provider CA");
        devices = SimulatedDevices.start(SimulatorConfig.builder(DeviceKind.FINGER_SLAP).firstFreePortIn(base, base + 200)
                .format(org.stationtrust.sbi.simulator.SbiFormat.MOSIP_STRICT).captureDelay(Duration.ofMillis(100))
                .ftmCa(ftmProvider).build());
        Path trust = Files.createDirectories(work.resolve("agent").resolve("device-cas"));
        deviceCa = trust.resolve("provider.pem");
        devices.all().get(0).writeDeviceProviderCaPem(deviceCa);
        ftmCa = ftmProvider.writeCertificatePem(work.resolve("agent").resolve("ftm-cas").resolve("ftm-provider.pem"));
        for (SimulatedDevice d : devices.all()) {
            story.say("%-12s %s serial %s", kindName(d), d.callbackUrl(), d.serialNumber());
        }
        return devices.all().size() + " L1 devices (finger slap, iris double, face), device-provider CA " + deviceCa
                + ", FTM-provider CA " + ftmCa;
    }

    private String startAgent() throws Exception {
        Path dir = work.resolve("agent");
        Path token = server.issueEnrollmentToken(dir.resolve("enrollment-token"));
        story.say("one-time enrollment token issued by the server CLI, handed over in %s (0600)", token);
        int first = devices.all().stream().mapToInt(SimulatedDevice::port).min().orElseThrow();
        int last = devices.all().stream().mapToInt(SimulatedDevice::port).max().orElseThrow();
        Path config = dir.resolve("agent.yaml");
        Files.writeString(config, "mode: production\n"
                + "state_dir: " + dir.resolve("state") + "\n"
                + "machine:\n  name: demo-station\n"
                + "server:\n  url: " + server.url() + "\n  public_key_pins: [\"" + server.pin() + "\"]\n"
                + "tpm:\n  uri: " + tpm.uri() + "\n  event_log: " + eventLog + "\n"
                // the simulated devices are registered for the Staging environment
                + "devices:\n  trust_store: " + deviceCa.getParent() + "\n  ftm_trust_store: " + ftmCa.getParent()
                + "\n  ports: " + first + "-" + last
                + "\n  env: Staging\n"
                + "api:\n  port: 0\n"
                + "queue:\n  initial_backoff_ms: 100\n  max_backoff_seconds: 2\n");
        agent = AgentProcess.start(config, dir.resolve("state"), token, dir.resolve("agent.log"));
        local = agent.api();
        JsonNode status = local.getOk("/v1/status");
        story.say("station-agent run (pid %d), config %s, log %s", agent.pid(), config, dir.resolve("agent.log"));
        return "local API on 127.0.0.1:" + agent.apiPort() + ", mode " + status.path("mode").asText() + ", TPM " + status.path("tpm").asText();
    }

    private String awaitEnrollment() throws Exception {
        agent.awaitAudit("enrollment.submitting");
        story.say("agent sent EK certificate, EK/AK/machine-key public areas, the AK's certification and the token");
        JsonNode challenged = agent.awaitAudit("enrollment.challenged");
        machineId = challenged.path("fields").path("machineId").asText();
        story.say("server (started with --require-enrollment-token) took the one-time token, checked the EK chain and");
        story.say("the certification, and answered a credential challenge (MakeCredential to the EK for the AK's name)");
        return "machine id " + machineId;
    }

    private String awaitActivation() throws Exception {
        JsonNode activated = agent.awaitAudit("enrollment.activated");
        story.say("TPM2_ActivateCredential recovered the secret: only this TPM's EK could");
        // fail closed: until an admin approves, the station captures nothing
        JsonHttp.Answer early = local.post("/v1/captures", "{\"modality\":\"Face\",\"deviceSubId\":0,"
                + "\"consentReference\":\"consent-demo\",\"registrationId\":\"REG-EARLY\"}");
        if (early.ok()) {
            throw new IllegalStateException("the agent captured before its enrollment was approved: " + early.body());
        }
        story.say("a capture now is refused: %d %s", early.status(), early.body().path("error").path("code").asText());
        return "state " + activated.path("fields").path("state").asText() + " (first quote sent as the PCR baseline)";
    }

    private String approve() throws Exception {
        JsonNode pending = operator.getOk("/api/v1/admin/enrollments");
        story.say("operator API (bearer token, pinned TLS): %d enrollment(s) waiting%s", count(pending),
                pending.path("next").isTextual() ? " on the first page (more follow)" : "");
        JsonNode answer = operator.postOk("/api/v1/admin/machines/" + machineId + "/approve",
                "{\"reason\":\"demo: EK certificate from the software TPM's CA, machine on the registration desk\"}");
        return "machine " + machineId + " -> " + answer.path("state").asText(answer.toString());
    }

    private String awaitAttestation() throws Exception {
        JsonNode status = agent.awaitStatus(s -> "ACTIVE".equals(s.path("enrollment").asText())
                && "PASSED".equals(s.path("lastAttestationResult").asText()));
        JsonNode history = operator.getOk("/api/v1/admin/machines/" + machineId + "/attestations");
        story.say("agent quoted PCRs 0-7 (sha256) with the AK over a fresh server nonce and sent the boot event log;");
        story.say("server verified the quote, replayed the log to the quoted PCRs and judged the boot by policy %s", POLICY);
        JsonNode first = history.path("history").path(0);
        story.say("server's record: %s %s at %s", first.path("outcome").asText(), first.path("detail").asText(""),
                first.path("at").asText());
        JsonNode boot = operator.getOk("/api/v1/admin/machines/" + machineId + "/boot");
        JsonNode last = boot.path("last");
        JsonNode state = last.path("bootState");
        if (!last.path("result").asText().startsWith("PASSED")) {
            throw new IllegalStateException("the boot was not accepted: " + last);
        }
        story.say("boot verdict %s: Secure Boot %s, firmware %s", last.path("result").asText(),
                state.path("secureBoot").asText(), state.path("firmwareVersions").path(0).asText("?"));
        for (JsonNode a : state.path("authorities")) {
            story.say("  verified by %s (%s)", a.path("entry").path("subject").asText(), a.path("source").asText());
        }
        for (JsonNode app : state.path("bootApplications")) {
            if (!app.path("path").asText().isEmpty()) {
                story.say("  boot application %s sha256 %s..", app.path("path").asText(),
                        app.path("digest").asText().substring(0, 16));
            }
        }
        return "agent " + status.path("enrollment").asText() + ", last attestation " + status.path("lastAttestationResult")
                .asText() + "; server: " + history.path("attestationStatus").asText() + ", "
                + history.path("history").size() + " attestation(s) recorded, boot " + last.path("result").asText()
                + " (event log SHA-256 " + boot.path("acceptedEventLogSha256").asText().substring(0, 16) + "..)";
    }

    private String discover() throws Exception {
        JsonNode found = local.getOk("/v1/devices").path("devices");
        int trusted = 0;
        for (JsonNode d : found) {
            if (d.path("trusted").asBoolean()) {
                trusted++;
                story.say("%-6s %-8s port %d serial %s, %s", d.path("type").asText(), d.path("subType").asText(),
                        d.path("port").asInt(), d.path("serialNo").asText(), d.path("status").asText());
            } else {
                story.say("port %d refused: %s", d.path("port").asInt(), d.path("reason").asText());
            }
        }
        if (trusted != 3) {
            throw new IllegalStateException("expected 3 trusted devices (finger, iris, face), found " + trusted + ": " + found);
        }
        return trusted + " trusted L1 devices: answers signed by keys chaining to the device-provider CA, each digitalId by"
                + " an FTM key chaining to the FTM-provider CA";
    }

    private String register() throws Exception {
        String registration = "REG-DEMO-" + HexFormat.of().formatHex(DemoSecrets.random(4));
        int biometrics = 0;
        for (String[] order : REGISTRATION_ORDERS) {
            JsonHttp.Answer a = local.post("/v1/captures", "{\"modality\":\"" + order[0] + "\",\"deviceSubId\":" + order[1]
                    + ",\"consentReference\":\"consent-demo\",\"registrationId\":\"" + registration
                    + "\",\"operator\":\"operator-demo\"}");
            if (!a.ok()) {
                throw new IllegalStateException(order[2] + " refused (" + a.status() + "): " + a.body());
            }
            List<String> parts = new ArrayList<>();
            for (JsonNode b : a.body().path("biometrics")) {
                String subType = b.path("bioSubType").asText();
                parts.add((subType.isEmpty() ? b.path("bioType").asText() : subType) + " q" + b.path("qualityScore").asText());
            }
            biometrics += parts.size();
            packets.add(a.body().path("packet").asText());
            story.say("%-11s %s  chain ..%s", order[2], String.join(", ", parts), tail(a.body().path("lastHash").asText()));
        }
        if (biometrics != 13) {
            throw new IllegalStateException("expected 13 biometrics (4 + 4 + 2 + 2 + 1), got " + biometrics);
        }
        return biometrics + " biometrics in registration " + registration + ", every device answer verified by sbi-client";
    }

    private String verifyPackets() throws Exception {
        String header = new String(Base64.getUrlDecoder().decode(packets.get(0).substring(0, packets.get(0).indexOf('.'))),
                StandardCharsets.UTF_8);
        story.say("packet header %s", header);
        for (String packet : packets) {
            JsonNode verdict = operator.postOk("/api/v1/packets/verify", "{\"packet\":\"" + packet + "\"}");
            if (!verdict.path("valid").asBoolean() || !machineId.equals(verdict.path("machineId").asText())) {
                throw new IllegalStateException("the server did not accept a packet: " + verdict);
            }
        }
        JsonNode status = local.getOk("/v1/status");
        serverRssKb = server.residentKb();
        agentRssKb = agent.residentKb();
        return packets.size() + " packets, one TPM signature each, valid for machine " + machineId
                + " (POST /api/v1/packets/verify); TPM signatures so far " + status.path("tpmSignatures").asLong();
    }

    private String runCtk() throws Exception {
        Path dir = Files.createDirectories(work.resolve("ctk"));
        List<String> lines = new ArrayList<>();
        for (SimulatedDevice d : devices.all()) {
            Path out = dir.resolve(kindName(d).replaceFirst(" .*", ""));
            ByteArrayOutputStream stdout = new ByteArrayOutputStream();
            ByteArrayOutputStream progress = new ByteArrayOutputStream();
            int exit = org.stationtrust.ctk.Main.execute(new String[] {"--port", Integer.toString(d.port()), "--vendor-ca",
                deviceCa.toString(), "--ftm-ca", ftmCa.toString(), "--non-interactive", "--harness-key-dir", dir.resolve("harness-key").toString(),
                "--out", out.toString()}, new PrintStream(stdout, true, StandardCharsets.UTF_8),
                    new PrintStream(progress, true, StandardCharsets.UTF_8));
            Files.write(out.resolve("ctk-progress.log"), progress.toByteArray());
            String summary = stdout.toString(StandardCharsets.UTF_8).lines().findFirst().orElse("(no output)");
            Path html = out.resolve("ctk-report.html");
            story.say("%-12s %s", kindName(d), summary);
            story.say("%-12s report %s", "", html);
            if (exit != 0 || !Files.isRegularFile(html)) {
                throw new IllegalStateException("ctk-harness against the " + kindName(d) + " exited " + exit + ": " + summary);
            }
            ctkReports.add(html);
            lines.add(kindName(d) + " " + summary.replaceFirst(";.*", ""));
        }
        return String.join("; ", lines) + " (cases needing an operator skipped); HTML " + ctkReports.get(0);
    }

    private String verifyAuditLogs() throws Exception {
        int agentExit = agent.stop();
        story.say("agent stopped with SIGTERM as systemd stops it (exit %d)", agentExit);
        ChildJava.Outcome serverAudit = server.auditVerify();
        story.say("server-enroll audit verify: %s", serverAudit.lastLine());
        ChildJava.Outcome agentAudit = agent.auditVerify();
        story.say("station-agent audit verify: %s", agentAudit.lastLine());
        if (serverAudit.exitCode() != 0 || agentAudit.exitCode() != 0) {
            throw new IllegalStateException("an audit chain does not verify: server exit " + serverAudit.exitCode()
                    + ", agent exit " + agentAudit.exitCode());
        }
        return "server hash chain intact, agent hash chain intact";
    }

    private static int count(JsonNode node) {
        if (node.isArray()) {
            return node.size();
        }
        for (JsonNode child : node) {
            if (child.isArray()) {
                return child.size();
            }
        }
        return 0;
    }

    /** The simulator's deviceIds (sbi-simulator/README.md): 1 finger slap, 2 iris double, 3 face. */
    private static String kindName(SimulatedDevice d) {
        return switch (d.deviceId()) {
            case "1" -> "finger slap";
            case "2" -> "iris double";
            case "3" -> "face";
            default -> "device " + d.serialNumber();
        };
    }

    private static String tail(String hex) {
        return hex.length() > 12 ? hex.substring(hex.length() - 12) : hex;
    }

    static String fingerprint(PublicKey key) throws Exception {
        String hex = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getEncoded()));
        return hex.substring(0, 32) + "..";
    }

    @Override
    public synchronized void close() {
        if (agent != null) {
            agent.close();
        }
        if (server != null) {
            server.close();
        }
        if (devices != null) {
            devices.close();
        }
        if (tpm != null) {
            tpm.close();
        }
    }
}
