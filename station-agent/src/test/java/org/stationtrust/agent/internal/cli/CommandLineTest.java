package org.stationtrust.agent.internal.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stationtrust.agent.Main;
import org.stationtrust.agent.internal.audit.AuditLog;

class CommandLineTest {
    @TempDir Path dir;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    private Path devConfig() throws Exception {
        Path file = dir.resolve("agent.yaml");
        Files.writeString(file, "mode: development\nstate_dir: " + dir.resolve("state") + "\ntpm:\n  uri: none\n");
        return file;
    }

    @Test
    void configCheckNamesEveryBadKeyAndExitsWithExConfig() throws Exception {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, "mode: production\nserver:\n  url: http://enroll.example.org\napi:\n  port: -1\n");
        assertEquals(78, run("--config", file.toString(), "config", "check"));
        String text = err.toString();
        for (String key : List.of("server.url", "server.public_key_pins", "devices.trust_store", "api.port")) {
            assertTrue(text.contains(key + ":"), "names " + key + " in:\n" + text);
        }
    }

    @Test
    void configCheckAcceptsAValidFileAndWarnsAboutDevelopmentMode() throws Exception {
        assertEquals(0, run("--config", devConfig().toString(), "config", "check"));
        assertTrue(out.toString().contains("configuration OK"));
        assertTrue(out.toString().contains("WARNING: mode: development"));
    }

    @Test
    void auditVerifyPassesOnAnIntactLogAndFailsOnAnEditedOne() throws Exception {
        Path config = devConfig();
        Path state = Files.createDirectories(dir.resolve("state"));
        try (AuditLog log = AuditLog.open(state, Clock.systemUTC())) {
            log.append("capture.completed", Map.of("consentReference", "C-1"));
            log.append("capture.completed", Map.of("consentReference", "C-2"));
        }
        assertEquals(0, run("--config", config.toString(), "audit", "verify"));
        assertTrue(out.toString().contains("2 records"));
        Path file = state.resolve("audit.jsonl");
        Files.writeString(file, Files.readString(file).replace("C-1", "C-9"));
        assertEquals(1, run("--config", config.toString(), "audit", "verify"));
        assertTrue(err.toString().contains("AUDIT LOG BROKEN"), err.toString());
    }

    @Test
    void commandsThatNeedTheRunningAgentSayItIsNotRunningAndFail() throws Exception {
        String config = devConfig().toString();
        List<List<String>> commands = List.of(List.of("attest"), List.of("rotate-key"), List.of("capture", "--modality",
                "Finger", "--device-sub-id", "1", "--consent", "C-1", "--registration", "R-1"));
        for (List<String> command : commands) {
            err.getBuffer().setLength(0);
            List<String> args = new java.util.ArrayList<>(List.of("--config", config));
            args.addAll(command);
            assertEquals(1, run(args.toArray(String[]::new)), command + ": " + err);
            assertTrue(err.toString().contains("the agent is not running: start it"), command + ": " + err);
        }
    }

    @Test
    void statusWithoutARunningAgentReadsTheStateDirectory() throws Exception {
        assertEquals(0, run("--config", devConfig().toString(), "status"));
        assertTrue(out.toString().contains("enrollment: NOT_ENROLLED"), out.toString());
    }

    @Test
    void enrollRefusesATokenOnTheCommandLineAndSaysWhatToUseInstead() throws Exception {
        assertEquals(2, run("--config", devConfig().toString(), "enroll", "--server", "http://127.0.0.1:9", "--token", "ste_SECRET"));
        String text = err.toString();
        assertTrue(text.contains("--token is refused") && text.contains("/proc/PID/cmdline")
                && text.contains("--token-file FILE") && text.contains("--token-stdin"), text);
        assertTrue(!text.contains("ste_SECRET") && !out.toString().contains("ste_SECRET"), "the token is not echoed");
        assertTrue(!Files.exists(dir.resolve("state")), "nothing was started");
    }

    @Test
    void enrollRefusesATokenFileOthersCanRead() throws Exception {
        Path token = dir.resolve("token");
        Files.writeString(token, "ste_SECRET\n");
        Files.setPosixFilePermissions(token, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        assertEquals(78, run("--config", devConfig().toString(), "enroll", "--server", "http://127.0.0.1:9", "--token-file", token.toString()));
        assertTrue(err.toString().contains("chmod 600 " + token), err.toString());
        assertTrue(!err.toString().contains("ste_SECRET"));
    }

    @Test
    void enrollWithTokenStdinRefusesAnEmptyInput() throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "org.stationtrust.agent.Main", "--config", devConfig().toString(),
                "enroll", "--server", "http://127.0.0.1:9", "--token-stdin").redirectErrorStream(true).start();
        p.getOutputStream().close();
        String output = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(78, p.exitValue(), output);
        assertTrue(output.contains("no token on standard input"), output);
    }

    @Test
    void helpListsEveryCommand() {
        assertEquals(0, run("--help"));
        for (String command : List.of("run", "status", "enroll", "attest", "devices", "capture", "rotate-key", "deprovision", "audit", "config", "doctor")) {
            assertTrue(out.toString().contains(command), command);
        }
    }
}
