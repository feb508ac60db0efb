package org.stationtrust.ctk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stationtrust.ctk.testing.MiniJsonSchema;
import org.stationtrust.ctk.testing.SimulatorFixture;
import org.stationtrust.sbi.simulator.DeviceKind;
import org.stationtrust.sbi.simulator.FaultMode;
import org.stationtrust.sbi.simulator.SbiFormat;
import org.stationtrust.sbi.simulator.SbiSimulator;
import org.stationtrust.sbi.simulator.SimulatorConfig;
import org.stationtrust.sbi.simulator.SimulatedDevice;

/**
 * A lab holding only the signed JSON report recomputes the CTK's verdicts: the simulator stamps its
 * answers an hour ahead (FUTURE_TIMESTAMP) over real HTTP, and the report alone must show when each
 * request was sent and answered, the stamp and the skew, so that the arithmetic can be redone.
 */
class ReportRederivationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern FUTURE = Pattern.compile(
            "biometrics\\[0]\\.timestamp (\\S+Z) is ([0-9.]+) s after the answer \\(future timestamp; request sent (\\S+Z),"
                    + " answer received (\\S+Z), allowed skew (\\d+) s, latest accepted (\\S+Z) = answer received \\+ skew\\)");

    @TempDir
    static Path dir;
    static SimulatedDevice device;
    static JsonNode json;

    @BeforeAll
    static void runAgainstAClockAnHourAheadAndWriteSignedReports() throws Exception {
        device = SimulatorFixture.start(DeviceKind.FINGER_SLAP, "Registration", FaultMode.NONE);
        RunReport report = SimulatorFixture.harness(device).listener(new Harness.Listener() {
            @Override
            public void started(int total) {
                device.setFault(FaultMode.FUTURE_TIMESTAMP); // after identification, as FaultModeTest does
            }

            @Override
            public void caseStarted(int index, int total, TestCase testCase) {
            }

            @Override
            public void caseFinished(int index, int total, CaseResult result) {
            }
        }).operator(Operator.automatic(), false).build().run(List.of(SimulatorFixture.CATALOGUE.byId("REG-LEFT-SLAP"),
                SimulatorFixture.CATALOGUE.byId("STREAM-CAPTURE-LEFT-SLAP")));
        Reports.writeAll(report, dir, SimulatorFixture.KEY);
        json = JSON.readTree(dir.resolve(Reports.JSON).toFile());
    }

    @AfterAll
    static void stop() {
        device.close();
    }

    private static JsonNode result(String id) {
        for (JsonNode r : json.path("results")) {
            if (r.path("id").asText().equals(id)) {
                return r;
            }
        }
        throw new AssertionError("no result " + id);
    }

    private static JsonNode exchange(JsonNode result, String verb) {
        for (JsonNode e : result.path("exchanges")) {
            if (e.path("verb").asText().equals(verb)) {
                return e;
            }
        }
        throw new AssertionError("no " + verb + " exchange in " + result.path("id").asText());
    }

    private static String finding(JsonNode result, String check) {
        for (JsonNode k : result.path("checks")) {
            if (k.path("check").asText().equals(check)) {
                return k.path("status").asText() + ": " + k.path("message").asText();
            }
        }
        throw new AssertionError("no " + check + " finding in " + result.path("id").asText());
    }

    @Test
    void theSignedReportStillVerifiesAndFollowsSchemaVersionThree() throws Exception {
        JsonNode schema = JSON.readTree(Reports.class.getResourceAsStream("/report/ctk-report.schema.json"));
        assertEquals(List.of(), MiniJsonSchema.validate(schema, json));
        assertEquals("3", json.path("schemaVersion").asText());
        assertEquals(64, Reports.verify(dir.resolve(Reports.JSON)).replace(":", "").length());
    }

    @Test
    void theHtmlPageShowsEachExchangesInstantsAsTheJsonHasThem() throws Exception {
        String html = java.nio.file.Files.readString(dir.resolve(Reports.HTML));
        JsonNode capture = exchange(result("REG-LEFT-SLAP"), "RCAPTURE");
        assertTrue(html.contains("sent " + capture.path("sentAt").asText() + ", headers received "
                + capture.path("headersReceivedAt").asText() + ", ended " + capture.path("endedAt").asText()), "HTML instants");
    }

    @Test
    void aFutureTimestampVerdictIsRecomputedFromTheExchangeRecordTheStampAndTheSkewInTheReport() {
        JsonNode slap = result("REG-LEFT-SLAP");
        assertEquals("FAILED", slap.path("outcome").asText());
        String finding = finding(slap, "timestamp");
        Matcher m = FUTURE.matcher(finding);
        assertTrue(finding.startsWith("FAIL: ") && m.find(), finding);
        JsonNode capture = exchange(slap, "RCAPTURE");
        // the instants the finding names are the exchange record's, and the stamp is in the answer shown
        assertEquals(capture.path("sentAt").asText(), m.group(3));
        assertEquals(capture.path("endedAt").asText(), m.group(4));
        assertTrue(capture.path("response").asText().contains(m.group(1)), "the stamp is in the recorded answer");
        long skew = json.path("settings").path("skewSeconds").asLong();
        assertEquals(skew, Long.parseLong(m.group(5)));
        // the lab's own arithmetic, from the report's values only
        Instant stamp = Instant.parse(m.group(1));
        Instant answered = Instant.parse(capture.path("endedAt").asText());
        Instant latest = answered.plusSeconds(skew);
        assertTrue(stamp.isAfter(latest), "the verdict FAIL follows from the report");
        assertEquals(latest, Instant.parse(m.group(6)));
        assertEquals(Duration.between(answered, stamp).toMillis() / 1000.0, Double.parseDouble(m.group(2)), 0.0005);
    }

    @Test
    void everyExchangeRecordsWhenItWasSentAndAnsweredConsistentlyWithItsElapsedTime() {
        int seen = 0;
        for (JsonNode r : json.path("results")) {
            for (JsonNode e : r.path("exchanges")) {
                Instant sent = Instant.parse(e.path("sentAt").asText());
                Instant ended = Instant.parse(e.path("endedAt").asText());
                assertFalse(ended.isBefore(sent), e.toString());
                if (!e.path("headersReceivedAt").isNull()) {
                    Instant headers = Instant.parse(e.path("headersReceivedAt").asText());
                    assertFalse(headers.isBefore(sent) || headers.isAfter(ended), e.path("verb").asText());
                }
                // both on one clock: the instants differ by the elapsed time, give or take the millisecond they are cut to
                assertEquals(e.path("elapsedMs").asDouble(), Duration.between(sent, ended).toNanos() / 1e6, 1.1,
                        e.path("verb").asText());
                seen++;
            }
        }
        assertTrue(seen >= 3, "exchanges seen: " + seen);
    }

    @Test
    void aStreamExchangeRecordsWhenItsHeadersArrivedAndWhenTheStreamEndedAfterTheCapture() {
        JsonNode stream = exchange(result("STREAM-CAPTURE-LEFT-SLAP"), "STREAM");
        JsonNode capture = exchange(result("STREAM-CAPTURE-LEFT-SLAP"), "RCAPTURE");
        Instant headers = Instant.parse(stream.path("headersReceivedAt").asText());
        Instant ended = Instant.parse(stream.path("endedAt").asText());
        assertTrue(headers.isBefore(Instant.parse(capture.path("sentAt").asText())), "stream open before the capture");
        assertFalse(ended.isBefore(Instant.parse(capture.path("endedAt").asText())), "stream ends after the capture");
    }

    /** Runs the cases against a simulator set up by {@code config} and returns the signed JSON report, read back. */
    private static JsonNode signedReport(SimulatorConfig config, Path out, String... caseIds) throws Exception {
        try (SimulatedDevice d = SbiSimulator.start(config)) {
            RunReport report = SimulatorFixture.harness(d).operator(Operator.automatic(), true).build()
                    .run(java.util.Arrays.stream(caseIds).map(SimulatorFixture.CATALOGUE::byId).toList());
            Reports.writeAll(report, out, SimulatorFixture.KEY);
            Reports.verify(out.resolve(Reports.JSON));
            return JSON.readTree(out.resolve(Reports.JSON).toFile());
        }
    }

    private static SimulatorConfig.Builder slap() {
        return SimulatorConfig.builder(DeviceKind.FINGER_SLAP).anyFreePort().purpose("Registration")
                .format(SbiFormat.MOSIP_STRICT).encryptionCertificate(SimulatorFixture.KEY.certificate());
    }

    private static byte[] hex(String h) {
        return HexFormat.of().parseHex(h);
    }

    @Test
    void aBrokenHashLinkIsRecomputedFromThePreviousHashAndTheBioValueDigestTheReportNames(@TempDir Path out)
            throws Exception {
        JsonNode report = signedReport(slap().fault(FaultMode.BROKEN_HASH_CHAIN).build(), out, "REG-LEFT-SLAP");
        JsonNode slap = report.path("results").path(0);
        String finding = finding(slap, "hash-chain");
        Matcher m = Pattern.compile("biometrics\\[0] broken hash chain: hash ([0-9A-F]{64}) differs from the recomputed ([0-9A-F]{64})"
                + " \\(previous ([0-9A-F]{64}), SHA-256\\(bioValue\\) ([0-9A-F]{64})\\)").matcher(finding);
        assertTrue(finding.startsWith("FAIL: ") && m.find(), finding);
        // the first link starts from the previousHash the harness sent, which the report's request shows
        JsonNode request = JSON.readTree(exchange(slap, "RCAPTURE").path("request").asText());
        assertEquals(request.path("bio").path(0).path("previousHash").asText(), m.group(3));
        // the lab's own arithmetic: UPPER_HEX(SHA-256(previous || SHA-256(bioValue)))
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update(hex(m.group(3)));
        sha.update(hex(m.group(4)));
        String link = HexFormat.of().withUpperCase().formatHex(sha.digest());
        assertEquals(link, m.group(2));
        assertTrue(!link.equals(m.group(1)) && exchange(slap, "RCAPTURE").path("response").asText().contains(m.group(1)),
                "the device's hash is in the recorded answer and differs from the recomputed link");
    }

    @Test
    void aPassingHashChainNamesEveryLinksInputsSoEachLinkCanBeRedone(@TempDir Path out) throws Exception {
        JsonNode slap = signedReport(slap().build(), out, "REG-LEFT-SLAP").path("results").path(0);
        String finding = finding(slap, "hash-chain");
        assertTrue(finding.startsWith("PASS: 4 hash links recomputed and equal"), finding);
        JsonNode request = JSON.readTree(exchange(slap, "RCAPTURE").path("request").asText());
        String response = exchange(slap, "RCAPTURE").path("response").asText();
        Matcher m = Pattern.compile("biometrics\\[(\\d)]: previous ([0-9A-F]{64}), SHA-256\\(bioValue\\) ([0-9A-F]{64})")
                .matcher(finding);
        String previous = request.path("bio").path(0).path("previousHash").asText();
        int links = 0;
        while (m.find()) {
            assertEquals(previous, m.group(2), "link " + m.group(1) + " continues from the one before");
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(hex(m.group(2)));
            sha.update(hex(m.group(3)));
            previous = HexFormat.of().withUpperCase().formatHex(sha.digest());
            assertTrue(response.contains(previous), "the device's hash of link " + m.group(1) + " is in the answer");
            links++;
        }
        assertEquals(4, links, finding);
    }

    @Test
    void aResponseTimeVerdictNamesEachExchangesLimitWhichIsItsRequestTimeoutPlusTheGrace(@TempDir Path out)
            throws Exception {
        JsonNode report = signedReport(slap().build(), out, "REG-LEFT-SLAP");
        JsonNode slap = report.path("results").path(0);
        JsonNode capture = exchange(slap, "RCAPTURE");
        long timeout = JSON.readTree(capture.path("request").asText()).path("timeout").asLong();
        long limit = timeout + report.path("settings").path("graceMs").asLong();
        String finding = finding(slap, "response-time");
        assertTrue(finding.startsWith("PASS: ") && finding.contains(String.format(java.util.Locale.ROOT, "RCAPTURE %.1f of %d ms",
                capture.path("elapsedMs").asDouble(), limit)), finding + " (limit " + limit + ")");
        assertTrue(capture.path("elapsedMs").asDouble() <= limit);
    }

    @Test
    void aTimeoutFloorVerdictNamesTheElapsedTimeAndTheRequestTimeoutItWasComparedWith(@TempDir Path out)
            throws Exception {
        JsonNode report = signedReport(slap().biometricPresented(false).build(), out, "REG-LEFT-SLAP-TIMEOUT-NO-INPUT");
        JsonNode result = report.path("results").path(0);
        JsonNode capture = exchange(result, "RCAPTURE");
        long timeout = JSON.readTree(capture.path("request").asText()).path("timeout").asLong();
        String finding = finding(result, "timeout-floor");
        assertTrue(finding.startsWith("PASS: ") && finding.contains(String.format(java.util.Locale.ROOT,
                "RCAPTURE after %.1f ms, timeout %d ms", capture.path("elapsedMs").asDouble(), timeout)), finding);
        assertTrue(capture.path("elapsedMs").asDouble() >= timeout, "the verdict follows from the report");
    }
}
