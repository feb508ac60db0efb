package org.stationtrust.agent.internal.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;
import org.stationtrust.agent.AgentConfig;
import org.stationtrust.agent.internal.server.ServerHttp;
import org.stationtrust.sbi.client.DeviceRegistry;
import org.stationtrust.sbi.client.SbiClient;
import org.stationtrust.sbi.client.SbiClientConfig;
import org.stationtrust.tpm.EndorsementKey;
import org.stationtrust.tpm.TpmConnection;
import org.stationtrust.tpm.TpmException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "doctor", description = "Check state directory, TPM access, server reachability and pin, clock skew and"
        + " device discovery; print the fix for each failure.")
final class DoctorCommand implements Callable<Integer> {
    private static final Duration MAX_SKEW = Duration.ofSeconds(60);
    @Spec CommandSpec spec;
    private int failures;
    private PrintWriter out;

    @Override
    public Integer call() {
        AgentConfig config = AgentCommand.loadConfig(AgentCommand.configOf(spec), spec.commandLine().getErr());
        if (config == null) return AgentCommand.EXIT_CONFIG;
        out = spec.commandLine().getOut();
        ok("configuration", "valid (" + config.mode().name().toLowerCase(java.util.Locale.ROOT) + ")");
        checkStateDir(config);
        checkTpm(config);
        checkEventLog(config);
        checkServer(config);
        checkDevices(config);
        out.println(failures == 0 ? "all checks passed" : failures + " check(s) failed");
        return failures == 0 ? 0 : AgentCommand.EXIT_FAILED;
    }

    private void checkStateDir(AgentConfig c) {
        try {
            if (!Files.isDirectory(c.stateDir())) {
                fail("state directory", c.stateDir() + " does not exist", "start the agent once, or: install -d -m 0700 " + c.stateDir());
                return;
            }
            String perms = PosixFilePermissions.toString(Files.getPosixFilePermissions(c.stateDir()));
            if (!perms.equals("rwx------")) {
                fail("state directory", c.stateDir() + " has permissions " + perms, "chmod 700 " + c.stateDir());
            } else if (!Files.isWritable(c.stateDir())) {
                fail("state directory", c.stateDir() + " is not writable by " + System.getProperty("user.name"),
                        "chown -R " + System.getProperty("user.name") + " " + c.stateDir());
            } else {
                ok("state directory", c.stateDir() + " (0700)");
            }
        } catch (IOException e) {
            fail("state directory", e.getMessage(), "check the path and its parent directories");
        }
    }

    private void checkTpm(AgentConfig c) {
        if (c.tpm().uri().isEmpty()) {
            fail("tpm", "no TPM configured (tpm.uri: none)", "set tpm.uri: device:/dev/tpmrm0");
            return;
        }
        try (TpmConnection tpm = TpmConnection.open(c.tpm().uri().get())) {
            EndorsementKey ek = EndorsementKey.read(tpm);
            ok("tpm", c.tpm().uri().get() + " reachable, EK " + ek.kind() + " with certificate from "
                    + ek.certificate().getIssuerX500Principal().getName());
        } catch (TpmException e) {
            fail("tpm", e.getMessage(), "check that " + c.tpm().uri().get() + " exists and that the agent's user is in group tss"
                    + " (ls -l /dev/tpmrm0; usermod -aG tss station-agent)");
        }
    }

    /** The boot event log the agent sends with quotes (docs/measured-boot.md). */
    private void checkEventLog(AgentConfig c) {
        org.stationtrust.agent.internal.boot.EventLogSource source =
                org.stationtrust.agent.internal.boot.EventLogSources.of(c);
        try {
            java.util.Optional<byte[]> log = source.read();
            if (log.isEmpty()) {
                ok("boot event log", "not sent (" + source.describe() + "); the server's boot policy decides");
                return;
            }
            org.stationtrust.tpm.eventlog.EventLog parsed = org.stationtrust.tpm.eventlog.EventLog.parse(log.get());
            ok("boot event log", source.describe() + " readable: " + parsed.format().label() + ", "
                    + parsed.events().size() + " events, banks " + parsed.banks() + "; quotes cover "
                    + org.stationtrust.tpm.PcrBanks.forEventLog(parsed));
        } catch (org.stationtrust.agent.internal.boot.EventLogUnreadable e) {
            fail("boot event log", e.getMessage(), "run the agent through its systemd unit (ExecStartPre copies "
                    + org.stationtrust.agent.internal.boot.EventLogFile.KERNEL + "), or set tpm.event_log: none");
        } catch (org.stationtrust.tpm.eventlog.MalformedEventLog e) {
            fail("boot event log", source.describe() + " is not a TCG event log: " + e.getMessage(),
                    "check that tpm.event_log names the firmware's binary_bios_measurements");
        }
    }

    private void checkServer(AgentConfig c) {
        if (c.server().url().isEmpty()) {
            fail("server", "no server.url configured", "set server.url and server.public_key_pins");
            return;
        }
        URI url = c.server().url().get();
        HttpClient http = ServerHttp.client(url, c.server().publicKeyPins(), Duration.ofSeconds(5));
        try {
            HttpResponse<Void> r = http.send(HttpRequest.newBuilder(url.resolve(org.stationtrust.protocol.StationRoute.ENROLLMENT_STATUS.path("doctor-probe")))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.discarding());
            ok("server", url + " answered (HTTP " + r.statusCode() + ")"
                    + (c.server().publicKeyPins().isEmpty() ? "" : ", its public key matches a pin"));
            r.headers().firstValue("Date").ifPresentOrElse(date -> {
                Instant server = ZonedDateTime.parse(date, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration skew = Duration.between(server, Instant.now()).abs();
                if (skew.compareTo(MAX_SKEW) > 0) {
                    fail("clock", "station clock differs from the server's by " + skew.toSeconds() + " s",
                            "enable time sync: timedatectl set-ntp true");
                } else {
                    ok("clock", "within " + skew.toSeconds() + " s of the server");
                }
            }, () -> fail("clock", "the server sent no Date header", "cannot compare clocks; check time sync manually"));
        } catch (IOException e) {
            String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof org.stationtrust.agent.PinnedTls.ServerCertificateNotPinned) reason = t.getMessage();
            }
            fail("server", url + ": " + reason, "check the network, server.url, and server.public_key_pins");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void checkDevices(AgentConfig c) {
        if (c.devices().trustStore().isEmpty()) {
            fail("devices", "no devices.trust_store", "put the device providers' CA certificates (PEM) in a directory and set devices.trust_store");
            return;
        }
        try (SbiClient sbi = new SbiClient(SbiClientConfig.builder(c.devices().loadTrustStore())
                .ports(c.devices().firstPort(), c.devices().lastPort()).allowedSkew(c.devices().allowedSkew()).build())) {
            DeviceRegistry registry = sbi.discover();
            if (registry.trusted().isEmpty()) {
                fail("devices", "no trusted device on 127.0.0.1:" + c.devices().firstPort() + "-" + c.devices().lastPort()
                        + (registry.rejections().isEmpty() ? "" : "; rejected ports " + registry.rejections().keySet()),
                        "connect the devices and start their SBI services; run station-agent devices for each reason");
            } else {
                ok("devices", registry.trusted().size() + " trusted device(s)");
            }
        } catch (IOException e) {
            fail("devices", "cannot read the device trust store: " + e.getMessage(), "check devices.trust_store (and devices.ftm_trust_store, when set) hold PEM certificates, the two without a common CA");
        }
    }

    private void ok(String check, String detail) {
        out.println("[ ok ] " + check + ": " + detail);
    }

    private void fail(String check, String detail, String fix) {
        failures++;
        out.println("[FAIL] " + check + ": " + detail);
        out.println("       fix: " + fix);
    }
}
