package org.stationtrust.ctk.internal.run;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.stationtrust.ctk.CaseResult;
import org.stationtrust.ctk.TestCase;
import org.stationtrust.ctk.testing.TestDevice;

class ProgressBarTest {

    private static CaseResult result(TestCase c, CaseResult.Outcome outcome, String reason) {
        return new CaseResult(c.id(), c.name(), c.category(), c.purpose(), c.mosipIds(), outcome, reason, "", "",
                List.of(), List.of(), 1);
    }

    @Test
    void showsTheCurrentCaseTheCountsAndEachFailureWithItsReasonOnItsOwnLine() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ProgressBar bar = new ProgressBar(new PrintStream(out, true, StandardCharsets.UTF_8));
        TestCase first = TestDevice.testCase("REG-LEFT-SLAP");
        TestCase second = TestDevice.testCase("REG-FACE-HASH-CHAIN");

        bar.started(2);
        bar.caseStarted(1, 2, first);
        String whileFirstRuns = out.toString(StandardCharsets.UTF_8);
        bar.caseFinished(1, 2, result(first, CaseResult.Outcome.PASSED, ""));
        bar.caseStarted(2, 2, second);
        bar.caseFinished(2, 2, result(second, CaseResult.Outcome.FAILED, "hash-chain: broken hash chain"));
        String shown = out.toString(StandardCharsets.UTF_8);

        assertTrue(whileFirstRuns.contains("Running 2 cases") && whileFirstRuns.contains("0/2")
                && whileFirstRuns.endsWith("REG-LEFT-SLAP"), whileFirstRuns);
        assertTrue(shown.contains("[===============>              ] 1/2  passed 1 failed 0"), shown);
        assertTrue(shown.contains("\u001b[2KFAILED REG-FACE-HASH-CHAIN: hash-chain: broken hash chain\n"), shown);
        assertTrue(shown.contains("[==============================] 2/2  passed 1 failed 1 skipped 0  done"), shown);
    }
}
