package org.stationtrust.ctk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
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
}
