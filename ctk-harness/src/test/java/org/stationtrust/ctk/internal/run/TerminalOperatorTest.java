package org.stationtrust.ctk.internal.run;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.stationtrust.ctk.testing.TestDevice;

class TerminalOperatorTest {
    @Test
    void showsTheStepsAndGoesOnWithEnterOrSkipsWithS() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TerminalOperator operator = new TerminalOperator(new BufferedReader(new StringReader("\ns\n")),
                new PrintStream(out, true, StandardCharsets.UTF_8));
        assertTrue(operator.prepare(TestDevice.testCase("STATUS-BUSY")));
        assertFalse(operator.prepare(TestDevice.testCase("REG-LEFT-SLAP")));
        String shown = out.toString(StandardCharsets.UTF_8);
        assertTrue(shown.contains("Make the device busy"), shown);
        assertTrue(shown.contains("Place the four fingers of the left hand"), shown);
    }

    @Test
    void treatsTheEndOfInputAsASkip() {
        TerminalOperator operator = new TerminalOperator(new BufferedReader(new StringReader("")),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        assertFalse(operator.midway(TestDevice.testCase("KEYROT-REG-FACE"), "Rotate the device key", 1));
    }

    @Test
    void guidesThePersonStepByStepWhichFingersToPresentAndWhenToRemoveThem() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TerminalOperator operator = new TerminalOperator(new BufferedReader(new StringReader("\n")),
                new PrintStream(out, true, StandardCharsets.UTF_8));
        var c = TestDevice.testCase("REG-LEFT-SLAP-TIMEOUT-WITH-INPUT");
        assertTrue(operator.prepare(c));
        operator.restore(c);
        String shown = out.toString(StandardCharsets.UTF_8);
        assertTrue(shown.contains("2. Present exactly: Left IndexFinger, Left MiddleFinger, Left RingFinger, Left LittleFinger."), shown);
        assertTrue(shown.contains("3. Keep still until the harness says the capture is over."), shown);
        assertTrue(shown.indexOf("Capture over: remove the fingers from the sensor now.") > shown.indexOf("Keep still"), shown);
    }
}
