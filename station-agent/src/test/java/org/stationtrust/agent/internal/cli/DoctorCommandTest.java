package org.stationtrust.agent.internal.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stationtrust.agent.Main;
import org.stationtrust.agent.testing.StationFixture;

/** doctor against real parts: a software TPM and the simulated devices are found; a missing server gets its fix. */
class DoctorCommandTest {
    @TempDir Path dir;

    @Test
    void checksTpmAndDevicesAndPrintsTheFixForWhatFails() throws Exception {
        try (StationFixture station = new StationFixture(dir)) {
            Path config = station.writeConfig("doctor", "");
            Files.createDirectories(dir.resolve("doctor-state"));
            Files.setPosixFilePermissions(dir.resolve("doctor-state"), java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
            StringWriter out = new StringWriter();
            int code = Main.run(new PrintWriter(out, true), new PrintWriter(new StringWriter(), true), "--config", config.toString(), "doctor");
            String text = out.toString();
            assertEquals(1, code, text);
            assertTrue(text.contains("[ ok ] tpm: swtpm:"), text);
            assertTrue(text.contains("[ ok ] devices: 3 trusted device(s)"), text);
            assertTrue(text.contains("[FAIL] state directory") && text.contains("fix: chmod 700"), text);
            assertTrue(text.contains("[FAIL] server: no server.url configured"), text);
            assertTrue(text.contains("fix: set server.url"), text);
            assertTrue(text.contains("[FAIL] boot event log: no boot event log at /run/station-agent/"), text);
            assertTrue(text.contains("ExecStartPre copies /sys/kernel/security/tpm0/binary_bios_measurements"), text);
        }
    }

    @Test
    void reportsAReadableBootEventLogWithItsFormatAndEvents() throws Exception {
        try (StationFixture station = new StationFixture(dir)) {
            Path log = Files.write(dir.resolve("binary_bios_measurements"),
                    org.stationtrust.tpm.simulator.SyntheticBoot.typical()
                            .log(org.stationtrust.tpm.verify.HashAlgorithm.SHA256).bytes());
            Path config = station.writeConfig("doctor-log", "");
            Files.writeString(config, Files.readString(config).replace("tpm:\n", "tpm:\n  event_log: " + log + "\n"));
            StringWriter out = new StringWriter();
            Main.run(new PrintWriter(out, true), new PrintWriter(new StringWriter(), true), "--config", config.toString(),
                    "doctor");
            assertTrue(out.toString().contains("[ ok ] boot event log: " + log + " readable: crypto-agile, 23 events, banks [SHA256]"
                    + "; quotes cover sha256"), out.toString());

            Files.write(log, org.stationtrust.tpm.simulator.SyntheticBoot.typical().sha1FormatLog().bytes());
            StringWriter sha1 = new StringWriter();
            Main.run(new PrintWriter(sha1, true), new PrintWriter(new StringWriter(), true), "--config", config.toString(),
                    "doctor");
            assertTrue(sha1.toString().contains("readable: sha1, 22 events, banks [SHA1]; quotes cover sha256+sha1"),
                    sha1.toString());
        }
    }
}
