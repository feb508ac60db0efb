package org.stationtrust.ctk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stationtrust.ctk.testing.SimulatorFixture;
import org.stationtrust.sbi.simulator.DeviceKind;
import org.stationtrust.sbi.simulator.FaultMode;
import org.stationtrust.sbi.simulator.SimulatedDevice;

/** The command line end to end: exit codes, reports on disk, listing and the MOSIP map. */
class MainTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Main.execute(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private static String[] args(SimulatedDevice device, Path dir, String... more) {
        String[] base = {"--port", String.valueOf(device.port()), "--vendor-ca", dir.resolve("ca.pem").toString(),
                "--harness-key-dir", dir.resolve("key").toString(), "--out", dir.resolve("reports").toString(),
                "--non-interactive", "--grace-ms", "1500"};
        String[] all = new String[base.length + more.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    @Test
    void exitsZeroAndWritesTheReportsWhenEverySelectedCasePasses(@TempDir Path dir) throws Exception {
        try (SimulatedDevice device = SimulatorFixture.start(DeviceKind.IRIS_DOUBLE, "Registration", FaultMode.NONE)) {
            device.writeDeviceProviderCaPem(dir.resolve("ca.pem"));
            int code = run(args(device, dir, "--tag", "robustness", "--tag", "device-info"));
            assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
            assertTrue(Files.exists(dir.resolve("reports").resolve(Reports.HTML)));
            assertTrue(Files.exists(dir.resolve("reports").resolve(Reports.JUNIT)));
            assertTrue(Files.readString(dir.resolve("reports").resolve(Reports.JSON)).contains("\"exitCode\" : 0"));
            assertTrue(out.toString(StandardCharsets.UTF_8).contains("p50"), "latency percentiles are printed");
            assertTrue(Files.exists(dir.resolve("key").resolve(HarnessKey.CERT_FILE)), "the harness certificate is exported");
        }
    }

    @Test
    void findsTheDeviceByDiscovery(@TempDir Path dir) throws Exception {
        try (SimulatedDevice device = SimulatorFixture.start(DeviceKind.IRIS_DOUBLE, "Registration", FaultMode.NONE)) {
            device.writeDeviceProviderCaPem(dir.resolve("ca.pem"));
            int p = device.port();
            int code = run("--discover", "--port-range", p + "-" + p, "--type", "Iris", "--vendor-ca",
                    dir.resolve("ca.pem").toString(), "--harness-key-dir", dir.resolve("key").toString(), "--out",
                    dir.resolve("reports").toString(), "--non-interactive", "--case", "INFO-SIGNED");
            assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
            assertTrue(err.toString(StandardCharsets.UTF_8).contains("Testing the device on port " + p));
        }
    }

    @Test
    void exitsOneWhenACaseFails(@TempDir Path dir) throws Exception {
        try (SimulatedDevice device = SimulatorFixture.start(DeviceKind.FACE, "Registration", FaultMode.BROKEN_HASH_CHAIN)) {
            device.writeDeviceProviderCaPem(dir.resolve("ca.pem"));
            assertEquals(1, run(args(device, dir, "--case", "REG-FACE-HASH-CHAIN")));
            assertTrue(err.toString(StandardCharsets.UTF_8).contains("broken hash chain"));
        }
    }

    @Test
    void refusesRs256SignaturesWhenOnlyPs256IsAllowed(@TempDir Path dir) throws Exception {
        try (SimulatedDevice device = SimulatorFixture.start(DeviceKind.FACE, "Registration", FaultMode.NONE)) {
            device.writeDeviceProviderCaPem(dir.resolve("ca.pem"));
            assertEquals(1, run(args(device, dir, "--case", "INFO-SIGNED", "--allowed-alg", "PS256")));
            assertTrue(err.toString(StandardCharsets.UTF_8).contains("allowed: [PS256]"), err.toString(StandardCharsets.UTF_8));
        }
    }

    @Test
    void refusesToRunWithoutTheVendorCa(@TempDir Path dir) {
        assertEquals(2, run("--port", "4501", "--non-interactive", "--harness-key-dir", dir.resolve("key").toString()));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--vendor-ca is required"));
    }

    @Test
    void refusesAnUnknownCaseIdOrASelectionOfNothingInsteadOfPassingVacuously(@TempDir Path dir) {
        String[] common = {"--port", "4501", "--non-interactive", "--harness-key-dir", dir.resolve("key").toString(),
                "--vendor-ca", dir.resolve("absent.pem").toString()};
        assertEquals(2, run(concat(common, "--case", "INFO-SIGNED", "--case", "INFO-SIGNDE")));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("unknown case id(s) [INFO-SIGNDE]"), err.toString(StandardCharsets.UTF_8));
        err.reset();
        assertEquals(2, run(concat(common, "--type", "Fingr")));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("no case matches the selection"), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aVendorCaThatIsMissingOrNotPemIsAUsageErrorNamingTheFile(@TempDir Path dir) throws Exception {
        String[] common = {"--port", "4501", "--non-interactive", "--harness-key-dir", dir.resolve("key").toString()};
        Path absent = dir.resolve("absent.pem");
        assertEquals(2, run(concat(common, "--vendor-ca", absent.toString())));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--vendor-ca " + absent + " is not a readable file"),
                err.toString(StandardCharsets.UTF_8));
        err.reset();
        Path garbage = Files.writeString(dir.resolve("garbage.pem"), "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n");
        assertEquals(2, run(concat(common, "--vendor-ca", garbage.toString())));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--vendor-ca " + garbage + " is not a PEM X.509 certificate"),
                err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aMalformedPortRangeIsAUsageErrorSayingWhatIsExpected(@TempDir Path dir) throws Exception {
        try (SimulatedDevice device = SimulatorFixture.start(DeviceKind.FACE, "Registration", FaultMode.NONE)) {
            device.writeDeviceProviderCaPem(dir.resolve("ca.pem"));
            for (String range : new String[] {"4501", "4600-4501", "a-b", "0-70000"}) {
                err.reset();
                assertEquals(2, run("--discover", "--port-range", range, "--vendor-ca", dir.resolve("ca.pem").toString(),
                        "--harness-key-dir", dir.resolve("key").toString(), "--non-interactive"), range);
                assertTrue(err.toString(StandardCharsets.UTF_8).contains("is not FIRST-LAST"), err.toString(StandardCharsets.UTF_8));
            }
        }
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = new String[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    @Test
    void listsCasesAndPrintsTheMosipMap() {
        assertEquals(0, run("--list", "--tag", "stream"));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("STREAM-FRAMES-FINGER"));
        out.reset();
        assertEquals(0, run("--mosip-map"));
        String map = out.toString(StandardCharsets.UTF_8);
        assertTrue(map.contains("SBI1000 -> DISC-OWN-TYPE") && map.contains("SBI1199 -> REG-FACE-NO-SUBTYPES"), map);
        assertEquals(200, map.lines().filter(l -> l.startsWith("SBI")).count());
    }
}
