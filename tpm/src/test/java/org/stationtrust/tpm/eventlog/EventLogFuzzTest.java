package org.stationtrust.tpm.eventlog;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.SortedSet;
import java.util.TreeSet;
import org.stationtrust.tpm.verify.HashAlgorithm;

/**
 * Jazzer over the parser, the replay, the check against a quote and the boot state: only
 * MalformedEventLog and EventLogMismatch may escape (anything else, or an out-of-memory, is a finding).
 * Seeds are real logs (EventLogFuzzTestInputs, with their sources); a crashing input found is kept
 * there as a regression case. Bounded to a few seconds in the build (-DskipFuzz=true skips it).
 */
class EventLogFuzzTest {
    @FuzzTest(maxDuration = "10s")
    void anyBytesParseAndReadOrFailWithATypedError(byte[] input) {
        exercise(input);
    }

    static void exercise(byte[] input) {
        EventLog log;
        try {
            log = EventLog.parse(input, new EventLogLimits(1 << 20, 4096, 64 * 1024, 8));
        } catch (MalformedEventLog expected) {
            return;
        }
        ReplayedPcrs replayed = log.replay();
        for (HashAlgorithm bank : log.banks()) {
            BootState.claimedBy(log, bank);
            SortedSet<Integer> pcrs = new TreeSet<>(replayed.touched(bank));
            try {
                VerifiedEventLog verified = EventLogReplay.verify(log, bank, replayed.touchedValues(bank), pcrs, true);
                BootState.of(verified);
            } catch (EventLogMismatch e) {
                throw new IllegalStateException("a log must replay to its own values: " + e.getMessage(), e);
            }
        }
    }
}
