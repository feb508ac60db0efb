package org.stationtrust.ctk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.stationtrust.ctk.CaseResult.Outcome;
import org.stationtrust.ctk.testing.SimulatorFixture;
import org.stationtrust.ctk.testing.TestDevice;
import org.stationtrust.sbi.simulator.DeviceKind;
import org.stationtrust.sbi.simulator.SbiFormat;
import org.stationtrust.sbi.simulator.SbiSimulator;
import org.stationtrust.sbi.simulator.SimulatedDevice;
import org.stationtrust.sbi.simulator.SimulatorConfig;

/**
 * Device answers on which our verdict differed from SBI 0.9.5 or from MOSIP's compliance toolkit validators,
 * each played over real HTTP (the simulator, or a loopback service answering exactly what the row needs).
 */
class MosipValidatorDifferencesTest {

    /**
     * SBI 0.9.5 §Digital ID names the subtypes per type and MOSIP's discovery schema enumerates them: a device
     * whose digitalId says "slap" used to have every case skipped as "not applicable" with nothing judged.
     */
    @Test
    void aDeviceWhoseDigitalIdNamesASubtypeTheSpecDoesNotDefineFailsEveryCaseNamingIt() throws Exception {
        String digitalId = "{\"serialNo\":\"SLAP-0001\",\"make\":\"TestMake\",\"model\":\"SLAP-4\",\"type\":\"Finger\","
                + "\"deviceSubType\":\"slap\",\"deviceProvider\":\"Test Provider\",\"deviceProviderId\":\"TP-1\","
                + "\"dateTime\":\"2026-01-01T10:00:00Z\"}";
        String discovery = "[{\"deviceId\":\"1\",\"deviceStatus\":\"Ready\",\"certification\":\"L0\",\"serviceVersion\":\"1.0\","
                + "\"deviceSubId\":[\"1\",\"2\",\"3\"],\"callbackId\":\"http://127.0.0.1:4501/\",\"digitalId\":\""
                + Base64.getUrlEncoder().withoutPadding().encodeToString(digitalId.getBytes(StandardCharsets.UTF_8))
                + "\",\"deviceCode\":\"SLAP-0001\",\"specVersion\":[\"0.9.5\"],\"purpose\":\"Registration\","
                + "\"error\":{\"errorCode\":\"0\",\"errorInfo\":\"Success\"}}]";
        try (ServerSocket server = serve(discovery)) {
            TestDevice vendor = TestDevice.create();
            RunReport report = Harness.builder(server.getLocalPort(), vendor.trustStore())
                    .responseLimit(Duration.ofSeconds(3)).operator(Operator.automatic(), false).build()
                    .run(List.of(SimulatorFixture.CATALOGUE.byId("DISC-OWN-TYPE"), SimulatorFixture.CATALOGUE.byId("REG-LEFT-SLAP")));
            for (CaseResult r : report.results()) {
                assertEquals(Outcome.FAILED, r.outcome(), r.id() + ": " + r.reason());
                assertTrue(r.reason().contains("deviceSubType 'slap'") && r.reason().contains("does not define"), r.reason());
            }
            assertEquals(1, report.exitCode());
        }
    }

    /**
     * SBI 0.9.5 §Capture Response: "hash" is SHA-256 hex in upper case, and MOSIP's HashValidator compares the
     * text exactly. The spec profile used to accept a lower-case hash (the LOOSE simulator) as spec-tolerated.
     */
    @Test
    void aLowerCaseHashFailsTheSpecProfileWhileTheOtherLooseFormatsStillPassIt() throws Exception {
        try (SimulatedDevice d = SbiSimulator.start(SimulatorConfig.builder(DeviceKind.FINGER_SLAP).anyFreePort()
                .format(SbiFormat.LOOSE).build())) {
            CaseResult r = run(d, Profile.SPEC, "REG-LEFT-SLAP");
            assertEquals(Outcome.FAILED, r.outcome(), said(r));
            CaseResult.CheckResult hash = check(r, "hash-chain");
            assertEquals("FAIL", hash.status(), said(r));
            assertTrue(hash.message().contains("is not upper-case hex"), hash.message());
            assertEquals("PASS", check(r, "schema").status(), said(r));
        }
    }

    /**
     * MOSIP's count-mismatch schemas accept error 109 only with the SBI 0.9.5 error table's own words; the mosip
     * profile used to accept any errorInfo there. The strict simulator uses the table's words, the default one its
     * own detailed message.
     */
    @Test
    void aCountMismatchAnsweredWithOtherWordsThanTheErrorTablesFailsTheMosipProfileOnly() throws Exception {
        try (SimulatedDevice strict = SbiSimulator.start(SimulatorConfig.builder(DeviceKind.FINGER_SLAP).anyFreePort()
                .format(SbiFormat.MOSIP_STRICT).build());
             SimulatedDevice detailed = SbiSimulator.start(SimulatorConfig.builder(DeviceKind.FINGER_SLAP).anyFreePort()
                     .format(SbiFormat.DEFAULT).build())) {
            CaseResult words = run(strict, Profile.MOSIP, "REG-LEFT-SLAP-COUNT-MISMATCH");
            assertEquals(Outcome.PASSED, words.outcome(), said(words));
            CaseResult other = run(detailed, Profile.MOSIP, "REG-LEFT-SLAP-COUNT-MISMATCH");
            assertEquals(Outcome.FAILED, other.outcome(), said(other));
            assertTrue(check(other, "mosip-schema").message().contains("wants exactly 'Requested number of biometric"
                    + " (Finger/IRIS) not supported'"), said(other));
            CaseResult spec = run(detailed, Profile.SPEC, "REG-LEFT-SLAP-COUNT-MISMATCH");
            assertEquals(Outcome.PASSED, spec.outcome(), said(spec));
        }
    }

    private static CaseResult run(SimulatedDevice d, Profile profile, String caseId) throws InterruptedException {
        return SimulatorFixture.harness(d).profile(profile).operator(Operator.automatic(), true).build()
                .run(List.of(SimulatorFixture.CATALOGUE.byId(caseId))).results().get(0);
    }

    private static CaseResult.CheckResult check(CaseResult r, String name) {
        return r.checks().stream().filter(c -> c.check().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " finding: " + said(r)));
    }

    private static String said(CaseResult r) {
        return r.reason() + " || " + r.checks().stream().map(c -> c.check() + " " + c.status() + ": " + c.message())
                .collect(Collectors.joining(" | "));
    }

    /** A loopback service answering every request with HTTP 200 and {@code body}, until closed. */
    private static ServerSocket serve(String body) throws IOException {
        ServerSocket server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> {
            while (!server.isClosed()) {
                try (Socket s = server.accept()) {
                    InputStream in = s.getInputStream();
                    in.read(new byte[8192]);
                    byte[] b = body.getBytes(StandardCharsets.UTF_8);
                    OutputStream out = s.getOutputStream();
                    out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + b.length
                            + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(b);
                    out.flush();
                } catch (IOException e) {
                    // closed by the test, or the client hung up: both end this connection only
                }
            }
        });
        t.setDaemon(true);
        t.start();
        return server;
    }
}
