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
import org.stationtrust.ctk.internal.testing.TestDevice;

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
        Observation o = device.goodLeftSlap();
        ObjectNode p = (ObjectNode) o.elements.get(2).payload().deepCopy();
        p.put("timestamp", Instant.now().plus(shift).toString());
        device.replace(o, 2, p, o.elements.get(2).hash());
        return new TimestampCheck().judge(o, device.rules());
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
        id.put("dateTime", dateTime.toString());
        var payload = TestDevice.JSON.createObjectNode().put("deviceStatus", "Ready").put("digitalId", device.sign(id));
        o.record(new org.stationtrust.ctk.internal.device.Exchange("MOSIPDINFO", "/info", null, 200, null, null, false,
                3_000_000L, null), Duration.ofSeconds(5));
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
}
