package org.stationtrust.sbi.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Whatever a client sends, the device answers quickly with an SBI error, never a crash or a hang. */
class RequestRobustnessTest {
    private static final String[] REPLACEMENTS = {"4", "null", "[]", "{}", "\"\"", "\"-1\"", "\"99999999999\"",
            "\"UNKNOWN\"", "true", "\"\\u0000\"", "1e999"};
    private static SimulatedDevice slap;

    @BeforeAll
    static void start() {
        slap = TestDevices.start(DeviceKind.FINGER_SLAP);
    }

    @AfterAll
    static void stop() {
        slap.close();
    }

    private static String mutate(String valid, Random r) {
        StringBuilder s = new StringBuilder(valid);
        int edits = 1 + r.nextInt(3);
        for (int i = 0; i < edits && s.length() > 0; i++) {
            int at = r.nextInt(s.length());
            switch (r.nextInt(5)) {
                case 0 -> s.delete(at, Math.min(s.length(), at + 1 + r.nextInt(12)));
                case 1 -> s.insert(at, (char) r.nextInt(128));
                case 2 -> s.setLength(at);
                case 3 -> {
                    int colon = s.indexOf(":", at);
                    int end = colon < 0 ? -1 : Math.min(indexOr(s, ",", colon), indexOr(s, "}", colon));
                    if (colon >= 0 && end > colon) {
                        s.replace(colon + 1, end, REPLACEMENTS[r.nextInt(REPLACEMENTS.length)]);
                    }
                }
                default -> s.insert(at, "\"x\":" + REPLACEMENTS[r.nextInt(REPLACEMENTS.length)] + ",");
            }
        }
        return s.toString();
    }

    private static int indexOr(StringBuilder s, String what, int from) {
        int i = s.indexOf(what, from);
        return i < 0 ? Integer.MAX_VALUE : i;
    }

    @Test
    void mutatedCaptureRequestsAlwaysGetAnSbiErrorOrAValidAnswer() throws Exception {
        Random r = new Random(20261125);
        String valid = TestDevices.rcapture(DeviceKind.FINGER_SLAP, 1, 4, List.of(), TestDevices.EMPTY_SHA256_HEX).toString();
        int errors = 0;
        for (int i = 0; i < 250; i++) {
            String body = mutate(valid, r);
            HttpResponse<byte[]> resp = TestDevices.send(slap, "RCAPTURE", "/capture", body, Duration.ofSeconds(5));
            assertEquals(200, resp.statusCode(), () -> "body: " + body);
            JsonNode e = TestDevices.JSON.readTree(resp.body()).get("biometrics").get(0);
            String code = TestDevices.errorCode(e);
            assertFalse(code.isEmpty(), () -> "no error code for " + body);
            if (!code.equals("0")) {
                errors++;
                assertFalse(e.get("error").get("errorInfo").asText().isBlank(), "errorInfo says what was wrong");
            }
        }
        assertTrue(errors > 200, "most mutations are refused, " + errors + " were");
    }

    @Test
    void requestTextQuotedInErrorInfoCannotForgeLinesOrGrowWithoutBound() throws Exception {
        var req = TestDevices.rcapture(DeviceKind.FINGER_SLAP, 1, 4, List.of(), TestDevices.EMPTY_SHA256_HEX);
        req.put("specVersion", "0.9.5\nverb=RCAPTURE result=0 forged=" + "x".repeat(5000));
        JsonNode e = TestDevices.capture(slap, req).get("biometrics").get(0);
        assertEquals("501", TestDevices.errorCode(e));
        String info = e.get("error").get("errorInfo").asText();
        assertFalse(info.contains("\n"), info);
        assertTrue(info.length() < 400, "errorInfo is " + info.length() + " chars");
    }

    @Test
    void junkDiscoveryBodiesGetAnEmptyList() throws Exception {
        for (String body : new String[] {"", "null", "[]", "{\"type\":4}", "{\"type\":\"Finger\"", "\u0000\u0001"}) {
            HttpResponse<byte[]> r = TestDevices.send(slap, "MOSIPDISC", "/device", body, Duration.ofSeconds(5));
            assertEquals(200, r.statusCode());
            assertEquals("[]", new String(r.body(), StandardCharsets.UTF_8), () -> "for body " + body);
        }
    }

    @Test
    void requestsOverOneMebibyteAreRefusedBeforeParsing() throws Exception {
        String huge = "{\"x\":\"" + "A".repeat((1 << 20) + 10) + "\"}";
        HttpResponse<byte[]> r = TestDevices.send(slap, "RCAPTURE", "/capture", huge, Duration.ofSeconds(10));
        assertEquals(413, r.statusCode());
    }
}
