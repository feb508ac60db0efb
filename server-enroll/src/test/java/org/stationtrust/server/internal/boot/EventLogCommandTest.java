package org.stationtrust.server.internal.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stationtrust.server.ServerCommand;
import org.stationtrust.tpm.simulator.SyntheticBoot;
import org.stationtrust.tpm.simulator.SyntheticEventLog;
import org.stationtrust.tpm.verify.HashAlgorithm;

/** server-enroll eventlog replay|check through the real command line. */
class EventLogCommandTest {
    @TempDir
    Path dir;
    private final PrintStream out = System.out;
    private final PrintStream err = System.err;
    private String stderr = "";

    @AfterEach
    void restore() {
        System.setOut(out);
        System.setErr(err);
    }

    private String run(int expectedExit, String... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        System.setOut(new PrintStream(o, true));
        System.setErr(new PrintStream(e, true));
        int code = ServerCommand.run(args);
        restore();
        stderr = e.toString();
        assertEquals(expectedExit, code, String.join(" ", args) + " -> " + o + stderr);
        return o.toString();
    }

    @Test
    void replayJsonIsOneObjectWithFormatEventsPcrsOfEveryBankAndBootState() throws Exception {
        SyntheticEventLog log = SyntheticBoot.typical().log(HashAlgorithm.SHA1, HashAlgorithm.SHA256);
        Path file = Files.write(dir.resolve("log.bin"), log.bytes());
        JsonNode doc = EventLogCommand.JSON.readTree(run(0, "eventlog", "replay", file.toString(), "--json"));
        assertEquals("crypto-agile", doc.get("format").asText());
        assertEquals(log.events().size() + 1, doc.get("events").asInt());
        for (HashAlgorithm bank : new HashAlgorithm[] {HashAlgorithm.SHA1, HashAlgorithm.SHA256}) {
            log.pcrs(bank).forEach((pcr, v) -> assertEquals(HexFormat.of().formatHex(v),
                    doc.get("pcrs").get(bank.name().toLowerCase()).get(String.valueOf(pcr)).asText()));
        }
        assertEquals("ON", doc.get("bootState").get("secureBoot").asText());
        assertEquals(1, doc.get("bootState").get("authorities").size());
    }

    @Test
    void replayPrintsTextAndAnUnreadableLogExitsTwoWithTheTypedError() throws Exception {
        Path file = Files.write(dir.resolve("log.bin"), SyntheticBoot.typical().log(HashAlgorithm.SHA256).bytes());
        String text = run(0, "eventlog", "replay", file.toString());
        assertTrue(text.contains("format: crypto-agile"), text);
        assertTrue(text.contains("Secure Boot: ON"), text);
        Path bad = Files.write(dir.resolve("bad.bin"), new byte[] {0, 0, 0, 0, 3, 0, 0});
        run(2, "eventlog", "replay", bad.toString(), "--json");
        assertTrue(stderr.contains("MalformedEventLog") && stderr.contains("offset"), stderr);
    }

    @Test
    void checkPrintsTheServersVerdictAndExitsByIt() throws Exception {
        Path pass = Files.write(dir.resolve("pass.bin"), SyntheticBoot.typical().log(HashAlgorithm.SHA256).bytes());
        Path off = Files.write(dir.resolve("off.bin"),
                SyntheticBoot.typical().secureBoot(false).log(HashAlgorithm.SHA256).bytes());
        Path policy = Files.writeString(dir.resolve("p.json"), "{\"name\": \"fleet\"}");
        assertTrue(run(0, "eventlog", "check", pass.toString(), "--policy", policy.toString()).startsWith("PASSED"));
        JsonNode v = EventLogCommand.JSON.readTree(run(1, "eventlog", "check", off.toString(), "--policy",
                policy.toString(), "--json"));
        assertEquals("pcr_policy_violation", v.get("result").asText());
        assertEquals("requireSecureBoot", v.get("rule").asText());
        Path typo = Files.writeString(dir.resolve("typo.json"), "{\"name\": \"fleet\", \"requireSecureboot\": false}");
        run(2, "eventlog", "check", off.toString(), "--policy", typo.toString());
        assertTrue(stderr.contains("unknown rule 'requireSecureboot'"), stderr);
    }
}
