package org.stationtrust.server.internal.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.stationtrust.tpm.eventlog.BootAuthority;
import org.stationtrust.tpm.eventlog.BootState;
import org.stationtrust.tpm.eventlog.EventLog;
import org.stationtrust.tpm.eventlog.MalformedEventLog;
import org.stationtrust.tpm.eventlog.SignatureEntry;
import org.stationtrust.tpm.simulator.SyntheticBoot;
import org.stationtrust.tpm.simulator.SyntheticEventLog;
import org.stationtrust.tpm.verify.HashAlgorithm;

/**
 * The summary writes its Secure Boot database lines only when read; what it stores, compares and shows is the same
 * as the lines written at once: every entry's description, the authorities each once, in order.
 */
class BootSummaryTest {
    /** tpm's copies of real boot event logs (sources and licences in tpm/src/test/resources/eventlogs/README.md). */
    private static final Path REAL_LOGS = Path.of("..", "tpm", "src", "test", "resources", "eventlogs");

    private static BootState stateOf(SyntheticBoot boot) throws Exception {
        SyntheticEventLog log = boot.log(HashAlgorithm.SHA256);
        BootVerdict v = BootJudge.judge(BootPolicyTest.policy("{\"name\": \"p\"}"), Optional.of(log.bytes()),
                HashAlgorithm.SHA256, new TreeMap<>(log.pcrs(HashAlgorithm.SHA256)), Optional.empty(), new TreeMap<>());
        assertEquals(BootVerdict.Result.PASSED, v.result(), v.message());
        return v.state().orElseThrow();
    }

    private static List<String> lines(List<SignatureEntry> entries) {
        return entries.stream().map(SignatureEntry::describe).toList();
    }

    @Test
    void theLinesOfEveryRealLogAreTheEntriesDescriptionsAndSurviveTheStoredJson() throws Exception {
        List<Path> logs;
        try (Stream<Path> files = Files.walk(REAL_LOGS)) {
            logs = files.filter(f -> Files.isRegularFile(f) && !f.getFileName().toString().matches("LICENSE|.*\\.(md|json)"))
                    .sorted().toList();
        }
        assertTrue(logs.size() >= 20, logs.toString());
        int authorities = 0;
        for (Path file : logs) {
            EventLog log;
            try {
                log = EventLog.parse(Files.readAllBytes(file));
            } catch (MalformedEventLog e) {
                continue;
            }
            BootState s = BootState.claimedBy(log, BootJudge.replayBank(log));
            BootSummary summary = BootSummary.of(s);
            assertEquals(lines(s.pk()), summary.pk(), file.toString());
            assertEquals(lines(s.kek()), summary.kek(), file.toString());
            assertEquals(lines(s.db()), summary.db(), file.toString());
            assertEquals(lines(s.dbx()), summary.dbx(), file.toString());
            assertEquals(s.authorities().stream().map(BootAuthority::entry).map(SignatureEntry::describe).distinct()
                    .toList(), summary.authorities(), file.toString());
            authorities += summary.authorities().size();
            String json = MeasuredBoot.json(summary);
            BootSummary stored = MeasuredBoot.summary(json);
            assertEquals(stored, summary, file.toString());
            assertEquals(summary, stored, file.toString());
            assertEquals(stored.hashCode(), summary.hashCode(), file.toString());
            assertEquals(json, MeasuredBoot.json(stored), file.toString());
            assertEquals(List.of(), summary.changesSince(stored), file.toString());
        }
        assertTrue(authorities > 0, "no real log names an authority");
    }

    @Test
    void aStoredBootStateWritesEachEntryAsKindSha256SubjectEventInThatOrder() throws Exception {
        BootState s = stateOf(SyntheticBoot.typical());
        SignatureEntry e = s.db().get(0);
        String expected = "{\"kind\":\"X509\",\"sha256\":\"" + e.sha256() + "\",\"subject\":"
                + EventLogCommand.JSON.writeValueAsString(e.subject()) + ",\"event\":" + e.event() + "}";
        assertEquals(expected, EventLogCommand.json(e));
        String state = MeasuredBoot.json(s);
        assertTrue(state.contains("\"db\":[" + expected + ","), state);
    }
}
