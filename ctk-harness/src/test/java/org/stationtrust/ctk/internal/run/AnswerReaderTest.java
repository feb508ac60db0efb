package org.stationtrust.ctk.internal.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.stationtrust.ctk.internal.check.Observation;
import org.stationtrust.ctk.internal.device.Exchange;
import org.stationtrust.ctk.testing.TestDevice;

class AnswerReaderTest {

    @Test
    void aMalformedAnswerIsDescribedWithoutQuotingTheDevicesBytes() {
        String record = Base64.getUrlEncoder().withoutPadding().encodeToString(
                "FIR\0020\0 synthetic record bytes".getBytes(StandardCharsets.ISO_8859_1));
        for (String body : List.of("{\"biometrics\": [{\"data\": " + record + "}]}", record,
                "{\"biometrics\": \"" + record + "\" \"x\"}")) {
            Observation o = new Observation(TestDevice.testCase("REG-LEFT-SLAP"), null);
            Exchange e = new Exchange("RCAPTURE", "/capture", new byte[0], 200, null,
                    body.getBytes(StandardCharsets.UTF_8), false, 1_000_000L, null,
                    TestDevice.endedNow(1_000_000L, true));
            new AnswerReader(null).capture(o, 0, e, false);
            assertEquals(1, o.answers.size());
            String problem = o.answers.get(0).parseProblem();
            assertFalse(problem.contains(record.substring(0, 12)), problem);
            assertTrue(problem.contains("column") && problem.contains("malformed JSON, HTTP 200"), problem);
        }
    }

    @Test
    void anAnswerThatRepeatsAKeyIsRefusedAsTheStationRefusesIt() {
        Observation o = new Observation(TestDevice.testCase("REG-LEFT-SLAP"), null);
        Exchange e = new Exchange("RCAPTURE", "/capture", new byte[0], 200, null,
                "{\"biometrics\": [], \"biometrics\": []}".getBytes(StandardCharsets.UTF_8), false, 1_000_000L, null,
                    TestDevice.endedNow(1_000_000L, true));
        new AnswerReader(null).capture(o, 0, e, false);
        String problem = o.answers.get(0).parseProblem();
        assertTrue(problem != null && problem.contains("repeats a JSON key") && problem.contains("send each key once"), problem);
    }
}
