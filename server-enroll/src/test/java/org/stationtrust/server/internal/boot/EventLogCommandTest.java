package org.stationtrust.server.internal.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stationtrust.server.ServerCommand;
import org.stationtrust.tpm.simulator.SyntheticBoot;
import org.stationtrust.tpm.simulator.SyntheticEventLog;
import org.stationtrust.tpm.verify.HashAlgorithm;
import org.stationtrust.tpm.verify.PcrValues;
import org.stationtrust.tpm.verify.QuotedPcrs;

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

    /** The verdict the server gives the same log with a quote of both banks that matches it. */
    private static BootVerdict serverVerdict(String policy, SyntheticBoot boot, SyntheticEventLog sha1Log)
            throws Exception {
        return BootJudge.judge(BootPolicyTest.policy(policy), Optional.of(sha1Log.bytes()), QuotedPcrs.of(
                PcrValues.sha256(boot.log(HashAlgorithm.SHA256).pcrs(HashAlgorithm.SHA256)),
                PcrValues.sha1(sha1Log.pcrs(HashAlgorithm.SHA1))), Optional.empty(), new TreeMap<>());
    }

    @Test
    void checkJudgesALogWithoutSha256InItsSha1BankAndGivesTheServersVerdict() throws Exception {
        SyntheticBoot on = SyntheticBoot.typical();
        SyntheticBoot off = SyntheticBoot.typical().secureBoot(false);
        String authority = "sha256:" + HexFormat.of().formatHex(HashAlgorithm.SHA256.digest(on.db().get(0)));
        String revoked = "sha256:" + HexFormat.of().formatHex(on.dbx().get(0));
        String[][] cases = {
            {"{\"name\": \"fleet\"}", "PASSED", null},
            {"{\"name\": \"fleet\", \"allowedBootAuthorities\": [\"" + authority + "\"], \"requiredDbx\": [\""
                    + revoked + "\"]}", "PASSED", null},
            {"{\"name\": \"fleet\", \"forbiddenAuthorities\": [\"" + authority + "\"]}", "pcr_policy_violation",
                    "forbiddenAuthorities"},
            {"{\"name\": \"fleet\", \"requiredDbx\": [\"sha256:" + "ab".repeat(32) + "\"]}", "pcr_policy_violation",
                    "requiredDbx"},
        };
        // the SHA-1 format (TCG_PCR_EVENT) and a crypto-agile log whose only bank is SHA-1
        for (SyntheticEventLog log : new SyntheticEventLog[] {on.sha1FormatLog(), on.log(HashAlgorithm.SHA1)}) {
            Path file = Files.write(dir.resolve("sha1.bin"), log.bytes());
            for (String[] c : cases) {
                Path policy = Files.writeString(dir.resolve("p.json"), c[0]);
                JsonNode v = EventLogCommand.JSON.readTree(run(c[2] == null ? 0 : 1, "eventlog", "check",
                        file.toString(), "--policy", policy.toString(), "--json"));
                assertEquals(c[1], v.get("result").asText(), c[0]);
                assertEquals("SHA1", v.get("bootState").get("bank").asText(), c[0]);
                BootVerdict server = serverVerdict(c[0], on, log);
                assertEquals(server.result().wire(), v.get("result").asText(), c[0]);
                assertEquals(server.rule().orElse(null), v.get("rule").isNull() ? null : v.get("rule").asText(), c[0]);
                assertEquals(server.message(), v.get("message").asText(), c[0]);
            }
        }
        Path offFile = Files.write(dir.resolve("off.bin"), off.sha1FormatLog().bytes());
        Path policy = Files.writeString(dir.resolve("p.json"), "{\"name\": \"fleet\"}");
        String text = run(1, "eventlog", "check", offFile.toString(), "--policy", policy.toString());
        assertTrue(text.startsWith("pcr_policy_violation (rule requireSecureBoot)"), text);
    }

    @Test
    void checkRefusesPinsOnALogWithoutSha256ForItHasNoSha256ValuesToHoldThemAgainst() throws Exception {
        SyntheticBoot boot = SyntheticBoot.typical();
        String pcr0 = HexFormat.of().formatHex(boot.log(HashAlgorithm.SHA256).pcrs(HashAlgorithm.SHA256).get(0));
        Path policy = Files.writeString(dir.resolve("pins.json"), "{\"name\": \"fleet\", \"pins\": [{\"pcrs\":"
                + " {\"0\": \"" + pcr0 + "\"}}]}");
        Path sha1 = Files.write(dir.resolve("sha1.bin"), boot.sha1FormatLog().bytes());
        String out = run(2, "eventlog", "check", sha1.toString(), "--policy", policy.toString(), "--json");
        assertEquals("", out);
        assertTrue(stderr.contains("cannot judge pins") && stderr.contains("pins SHA-256 PCR values")
                && stderr.contains("[sha1]"), stderr);
        // the same pins on the log with SHA-256 digests are judged
        Path sha256 = Files.write(dir.resolve("sha256.bin"), boot.log(HashAlgorithm.SHA1, HashAlgorithm.SHA256).bytes());
        assertTrue(run(0, "eventlog", "check", sha256.toString(), "--policy", policy.toString()).startsWith("PASSED"));
    }
}
