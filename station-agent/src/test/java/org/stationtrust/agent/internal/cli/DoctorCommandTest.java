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
        }
    }
}
