package org.stationtrust.ctk.internal.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.stationtrust.ctk.internal.device.Exchange;
import org.stationtrust.ctk.internal.device.ExchangeTimes;
import org.stationtrust.ctk.testing.TestDevice;

class TimestampCheckTest {
    static TestDevice device;

    @BeforeAll
    static void createDevice() {
        device = TestDevice.create();
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-01-01T10:00:00Z", "2026-01-01T10:00:00.123Z", "2026-01-01T10:00:00.123456Z",
            "2026-01-01T10:00:00+00:00", "2026-01-01T10:00:00.5+0000"})
    void acceptsAnyIso8601UtcForm(String text) {
        assertTrue(TimestampCheck.parseUtc(text).isPresent(), text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-01-01T10:00:00+05:30", "2026-01-01T10:00:00", "2026-01-01 10:00:00Z", "yesterday", ""})
    void rejectsLocalOffsetsAndNonIsoText(String text) {
        assertTrue(TimestampCheck.parseUtc(text).isEmpty(), text);
    }

    private Finding judgeShiftedBy(Duration shift) {
        return judgeStamped(Instant.now().plus(shift).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString(),
                device.rules());
    }

    private Finding judgeStamped(String timestamp, JudgingRules rules) {
        Observation o = device.goodLeftSlap();
        ObjectNode p = (ObjectNode) o.elements.get(2).payload().deepCopy();
        p.put("timestamp", timestamp);
        device.replace(o, 2, p, o.elements.get(2).hash());
        return new TimestampCheck().judge(o, rules);
    }

    /** SBI1083-SBI1090: the device behaviour the case must accept, and the one it must refuse. */
    @ParameterizedTest(name = "{0} -> {1}")
    @org.junit.jupiter.params.provider.CsvSource({
            "SECONDS_Z, PASS",
            "MILLISECONDS_Z, FAIL",
            "OFFSET_PLUS_ZERO, FAIL",
            "NANOSECONDS_Z, FAIL"})
    void acceptsOnlyTheWireFormWithoutFractionsOrOffsets(String form, Finding.Status expected) {
        Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        String text = switch (form) {
            case "SECONDS_Z" -> now.toString();
            case "MILLISECONDS_Z" -> now.plusMillis(123).toString();
            case "OFFSET_PLUS_ZERO" -> now.toString().replace("Z", "+00:00");
            default -> now.plusNanos(123_456_789).toString();
        };
        Finding f = judgeStamped(text, device.rules());
        assertEquals(expected, f.status(), f.message());
        if (expected == Finding.Status.FAIL) {
            assertTrue(f.message().contains("is not written yyyy-MM-ddTHH:mm:ssZ"), f.message());
        }
    }

    /** MOSIP allows 180 s; the spec profile keeps 300 s: four minutes ahead passes one and fails the other. */
    @Test
    void theMosipProfileAllowsThreeMinutesOfSkewTheSpecProfileFive() {
        String ahead = Instant.now().plus(Duration.ofMinutes(4)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        assertEquals(Finding.Status.PASS, judgeStamped(ahead, device.rules(org.stationtrust.ctk.Profile.SPEC)).status());
        Finding mosip = judgeStamped(ahead, device.rules(org.stationtrust.ctk.Profile.MOSIP));
        assertTrue(mosip.failed());
        assertTrue(mosip.message().contains("future timestamp;") && mosip.message().contains("allowed skew 180 s"),
                mosip.message());
    }

    @Test
    void acceptsACurrentCaptureAndSmallSkewInBothDirections() {
        assertEquals(Finding.Status.PASS, new TimestampCheck().judge(device.goodLeftSlap(), device.rules()).status());
        assertEquals(Finding.Status.PASS, judgeShiftedBy(Duration.ofMinutes(-4)).status());
        assertEquals(Finding.Status.PASS, judgeShiftedBy(Duration.ofMinutes(4)).status());
    }

    private static Observation infoDated(Instant dateTime) {
        Observation o = new Observation(TestDevice.testCase("INFO-SIGNED"), device.profile());
        var id = TestDevice.digitalId("SLAP-0001");
        id.put("dateTime", dateTime.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
        var payload = TestDevice.JSON.createObjectNode().put("deviceStatus", "Ready").put("digitalId", device.sign(id));
        o.record(new org.stationtrust.ctk.internal.device.Exchange("MOSIPDINFO", "/info", null, 200, null, null, false,
                3_000_000L, null, TestDevice.endedNow(3_000_000L, true)), Duration.ofSeconds(5));
        o.infos.add(new Observation.InfoEntry(payload, device.sign(payload), payload, "0"));
        return o;
    }

    @Test
    void judgesTheDeviceClockInDeviceInfoToo() {
        assertEquals(Finding.Status.PASS, new TimestampCheck().judge(infoDated(Instant.now()), device.rules()).status());
        Finding f = new TimestampCheck().judge(infoDated(Instant.now().minus(Duration.ofHours(1))), device.rules());
        assertTrue(f.failed());
        assertTrue(f.message().contains("deviceInfo.digitalId.dateTime") && f.message().contains("stale timestamp"), f.message());
    }

    @Test
    void rejectsATimestampAnHourOld() {
        Finding f = judgeShiftedBy(Duration.ofHours(-1));
        assertTrue(f.failed());
        assertTrue(f.message().contains("stale timestamp"), f.message());
    }

    @Test
    void rejectsATimestampAnHourAhead() {
        Finding f = judgeShiftedBy(Duration.ofHours(1));
        assertTrue(f.failed());
        assertTrue(f.message().contains("future timestamp"), f.message());
    }

    private static Observation infoAnswered(Instant dateTime, ExchangeTimes times) {
        Observation o = new Observation(TestDevice.testCase("INFO-SIGNED"), device.profile());
        var id = TestDevice.digitalId("SLAP-0001");
        id.put("dateTime", dateTime.toString());
        var payload = TestDevice.JSON.createObjectNode().put("deviceStatus", "Ready").put("digitalId", device.sign(id));
        o.record(new Exchange("MOSIPDINFO", "/info", null, 200, null, null, false, 250_000_000L, null, times),
                Duration.ofSeconds(5));
        o.infos.add(new Observation.InfoEntry(payload, device.sign(payload), payload, "0"));
        return o;
    }

    @Test
    void aFutureTimestampFindingNamesTheStampBothInstantsTheSkewAndTheBoundItBroke() {
        Instant sent = Instant.parse("2026-03-01T10:00:00.100Z");
        Instant answered = Instant.parse("2026-03-01T10:00:00.350Z");
        Finding f = new TimestampCheck().judge(infoAnswered(Instant.parse("2026-03-01T11:00:00Z"),
                new ExchangeTimes(sent, sent.plusMillis(200), answered)), device.rules());
        assertTrue(f.failed());
        assertTrue(f.message().contains("deviceInfo.digitalId.dateTime 2026-03-01T11:00:00Z is 3599.650 s after the answer"
                + " (future timestamp; request sent 2026-03-01T10:00:00.100Z, answer received 2026-03-01T10:00:00.350Z,"
                + " allowed skew 300 s, latest accepted 2026-03-01T10:05:00.350Z = answer received + skew)"), f.message());
    }

    @Test
    void aStaleTimestampFindingNamesTheEarliestInstantAcceptedAndHowItWasComputed() {
        Instant sent = Instant.parse("2026-03-01T10:00:00.100Z");
        Finding f = new TimestampCheck().judge(infoAnswered(Instant.parse("2026-03-01T09:54:58Z"),
                new ExchangeTimes(sent, sent, sent.plusMillis(5))), device.rules());
        assertTrue(f.failed());
        assertTrue(f.message().contains("is 302.100 s before the request (stale timestamp; request sent"
                + " 2026-03-01T10:00:00.100Z, answer received 2026-03-01T10:00:00.105Z, allowed skew 300 s,"
                + " earliest accepted 2026-03-01T09:54:59.100Z = request sent - skew - 1 s)"), f.message());
    }

    @Test
    void aPassingTimestampVerdictStillNamesTheInstantsItWasComparedWith() {
        Instant sent = Instant.parse("2026-03-01T10:00:00.100Z");
        Finding f = new TimestampCheck().judge(infoAnswered(Instant.parse("2026-03-01T10:04:59Z"),
                new ExchangeTimes(sent, sent, sent.plusMillis(5))), device.rules());
        assertEquals(Finding.Status.PASS, f.status(), f.message());
        assertTrue(f.message().contains("deviceInfo.digitalId.dateTime 2026-03-01T10:04:59Z (request sent"
                + " 2026-03-01T10:00:00.100Z, answer received 2026-03-01T10:00:00.105Z)"), f.message());
    }
}
