package org.stationtrust.sbi.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command line parses its documented options and refuses bad ones before starting anything. */
class MainTest {
    private static int run(StringWriter err, String... args) {
        CommandLine cli = new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true);
        cli.setErr(new PrintWriter(err));
        cli.setOut(new PrintWriter(new StringWriter()));
        return cli.execute(args);
    }

    @Test
    void helpListsTheFaultModesAndExitsZero() {
        CommandLine cli = new CommandLine(new Main());
        StringWriter out = new StringWriter();
        cli.setOut(new PrintWriter(out));
        assertEquals(0, cli.execute("--help"));
        assertTrue(out.toString().contains("--fault"));
        assertTrue(out.toString().contains("BROKEN_HASH_CHAIN"));
        assertTrue(out.toString().contains("--wsq"), "WSQ authentication finger images can be asked for");
    }

    @Test
    void theCommandRunsDevicesInItsOwnProcessUntilStopped(@TempDir Path dir)
            throws Exception {
        Path state = dir.resolve("state.json");
        Path ca = dir.resolve("ca.pem");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "--port", String.valueOf(20_000 + new java.util.Random().nextInt(30_000)),
                "--devices", "face", "--fault", "WRONG_COUNT", "--capture-delay-ms", "0",
                "--state-out", state.toString(), "--ca-out", ca.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("out.txt").toFile()).start();
        try {
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (!Files.exists(state) && System.nanoTime() < deadline && p.isAlive()) {
                Thread.sleep(100);
            }
            assertTrue(Files.exists(state), "state file written; output: "
                    + (Files.exists(dir.resolve("out.txt")) ? Files.readString(dir.resolve("out.txt")) : ""));
            JsonNode devices = TestDevices.JSON.readTree(state.toFile());
            assertEquals(1, devices.size());
            assertEquals("FACE", devices.get(0).get("kind").asText());
            assertEquals("WRONG_COUNT", devices.get(0).get("fault").asText());
            URI base = URI.create(devices.get(0).get("callbackId").asText());
            HttpResponse<String> r = TestDevices.HTTP.send(HttpRequest.newBuilder(base.resolve("/device"))
                    .method("MOSIPDISC", HttpRequest.BodyPublishers.ofString("{\"type\":\"Face\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(devices.get(0).get("serialNo").asText(),
                    TestDevices.JSON.readTree(r.body()).get(0).get("deviceCode").asText());
            assertTrue(Files.readString(ca).startsWith("-----BEGIN CERTIFICATE-----"));
            String output = Files.readString(dir.resolve("out.txt"));
            assertTrue(output.lines().anyMatch(l -> l.startsWith("{\"ts\":") && l.contains("\"event\":\"started\"")),
                    "the program logs JSON lines through the shared encoder: " + output);
        } finally {
            p.destroy();
            assertTrue(p.waitFor(10, TimeUnit.SECONDS), "stops on SIGTERM");
        }
    }

    @Test
    void unknownFaultModeIsAUsageError() {
        StringWriter err = new StringWriter();
        assertEquals(2, run(err, "--fault", "SOMETIMES_WRONG"));
        assertTrue(err.toString().contains("--fault"), err.toString());
    }

    @Test
    void caPkcs12WithoutAPasswordIsRefusedWithAHint() {
        StringWriter err = new StringWriter();
        assertEquals(2, run(err, "--ca-p12", "/nonexistent/ca.p12", "--port", "0"));
        assertTrue(err.toString().contains("SBI_SIM_CA_PASSWORD") || err.toString().contains("password"), err.toString());
    }
}
