package org.stationtrust.tpm.eventlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.stationtrust.tpm.simulator.SyntheticBoot;
import org.stationtrust.tpm.simulator.SyntheticEventLog;
import org.stationtrust.tpm.verify.HashAlgorithm;

/** A log counts only where it replays to the quoted values; each way of lying about a boot is caught. */
class EventLogReplayTest {
    private static final HashAlgorithm SHA256 = HashAlgorithm.SHA256;
    private static final SortedSet<Integer> PCRS_0_TO_7 = new TreeSet<>(List.of(0, 1, 2, 3, 4, 5, 6, 7));

    private SyntheticEventLog boot;
    private SortedMap<Integer, byte[]> quoted;

    @BeforeEach
    void typicalBoot() throws Exception {
        boot = SyntheticBoot.typical().log(HashAlgorithm.SHA1, SHA256);
        quoted = new TreeMap<>(boot.pcrs(SHA256));
    }

    private VerifiedEventLog verify(byte[] log) throws Exception {
        return EventLogReplay.verify(EventLog.parse(log), SHA256, quoted, PCRS_0_TO_7, false);
    }

    private static SyntheticEventLog rebuilt(List<SyntheticEventLog.Extend> events) {
        SyntheticEventLog log = SyntheticEventLog.cryptoAgile(HashAlgorithm.SHA1, SHA256);
        events.forEach(e -> log.raw(e.pcr(), e.type(), e.digests(), e.data()));
        return log;
    }

    @Test
    void aLogReplaysToTheQuotedPcrs() throws Exception {
        VerifiedEventLog v = verify(boot.bytes());
        assertEquals(PCRS_0_TO_7, v.pcrs());
        assertFalse(v.exitBootServicesTolerated());
    }

    @Test
    void aChangedEventIsCaughtInItsPcr() {
        List<SyntheticEventLog.Extend> events = new ArrayList<>(boot.events());
        SyntheticEventLog.Extend first = events.get(1);
        events.set(1, new SyntheticEventLog.Extend(first.pcr(), first.type(),
                Map.of(HashAlgorithm.SHA1, new byte[20], SHA256, SHA256.digest(new byte[] {1})), first.data()));
        EventLogMismatch e = assertThrows(EventLogMismatch.class, () -> verify(rebuilt(events).bytes()));
        assertEquals(0, e.pcr());
    }

    @Test
    void aDroppedEventIsCaught() {
        List<SyntheticEventLog.Extend> events = new ArrayList<>(boot.events());
        events.remove(events.size() - 1);
        assertEquals(5, assertThrows(EventLogMismatch.class, () -> verify(rebuilt(events).bytes())).pcr());
    }

    @Test
    void reorderedEventsOfOnePcrAreCaught() {
        List<SyntheticEventLog.Extend> events = new ArrayList<>(boot.events());
        Collections.swap(events, 0, 1); // two PCR 0 events
        assertEquals(0, assertThrows(EventLogMismatch.class, () -> verify(rebuilt(events).bytes())).pcr());
    }

    @Test
    void aPcrExtendedBehindTheLogsBackIsCaughtEvenWithoutEventsForIt() {
        var md = SHA256.newDigest();
        md.update(new byte[32]);
        md.update(SHA256.digest("rootkit".getBytes(StandardCharsets.US_ASCII)));
        quoted.put(2, md.digest()); // the quote says PCR 2 moved; the log has only its separator
        assertEquals(2, assertThrows(EventLogMismatch.class, () -> verify(boot.bytes())).pcr());
        SyntheticEventLog noPcr6 = SyntheticEventLog.cryptoAgile(SHA256).separators(0);
        quoted = new TreeMap<>(noPcr6.pcrs(SHA256));
        quoted.put(6, SHA256.digest(new byte[1]));
        EventLogMismatch e = assertThrows(EventLogMismatch.class, () -> EventLogReplay.verify(
                EventLog.parse(noPcr6.bytes()), SHA256, quoted, new TreeSet<>(List.of(0, 6)), false));
        assertEquals(6, e.pcr());
        assertTrue(e.getMessage().contains("reset value"), e.getMessage());
    }

    @Test
    void aPcrThePolicyNeedsButTheQuoteLacksIsRefused() {
        quoted.remove(7);
        assertEquals(7, assertThrows(EventLogMismatch.class, () -> verify(boot.bytes())).pcr());
    }

    @Test
    void aQuotedBankTheLogDoesNotCarryIsRefused() throws Exception {
        SyntheticEventLog sha1Only = SyntheticEventLog.cryptoAgile(HashAlgorithm.SHA1).separators(0);
        EventLogMismatch e = assertThrows(EventLogMismatch.class, () -> EventLogReplay.verify(
                EventLog.parse(sha1Only.bytes()), SHA256, quoted, PCRS_0_TO_7, false));
        assertEquals(-1, e.pcr());
    }

    @Test
    void unloggedExitBootServicesAreToleratedOnlyWhenAllowedAndThenRecorded() throws Exception {
        SyntheticBoot b = SyntheticBoot.typical();
        SyntheticEventLog logged = b.log(SHA256);
        b.logExitBootServices(false);
        SyntheticEventLog unlogged = b.log(SHA256);
        quoted = new TreeMap<>(logged.pcrs(SHA256)); // the TPM saw both actions
        EventLog log = EventLog.parse(unlogged.bytes());
        assertEquals(5, assertThrows(EventLogMismatch.class,
                () -> EventLogReplay.verify(log, SHA256, quoted, PCRS_0_TO_7, false)).pcr());
        VerifiedEventLog v = EventLogReplay.verify(log, SHA256, quoted, PCRS_0_TO_7, true);
        assertTrue(v.exitBootServicesTolerated());
        BootState state = BootState.of(v);
        assertTrue(state.exitBootServicesTolerated());
        assertFalse(state.exitBootServices());
        assertTrue(state.notes().stream().anyMatch(n -> n.contains("Exit Boot Services")));
    }

    @Test
    void theRealLogMissingExitBootServicesReplaysOnlyWithTheTolerance() throws Exception {
        EventLog log = EventLog.parse(RealEventLogs.read("go-attestation/ebs_event_missing_eventlog"));
        HashAlgorithm bank = log.banks().iterator().next();
        ReplayedPcrs replayed = log.replay();
        SortedMap<Integer, byte[]> tpm = new TreeMap<>(replayed.touchedValues(bank));
        byte[] pcr5 = tpm.get(5);
        for (String action : List.of("Exit Boot Services Invocation", "Exit Boot Services Returned with Success")) {
            var md = bank.newDigest();
            md.update(pcr5);
            md.update(bank.digest(action.getBytes(StandardCharsets.US_ASCII)));
            pcr5 = md.digest();
        }
        tpm.put(5, pcr5);
        SortedSet<Integer> pcrs = new TreeSet<>(tpm.keySet());
        assertThrows(EventLogMismatch.class, () -> EventLogReplay.verify(log, bank, tpm, pcrs, false));
        assertTrue(EventLogReplay.verify(log, bank, tpm, pcrs, true).exitBootServicesTolerated());
    }
}
