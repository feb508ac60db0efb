package org.stationtrust.agent.internal.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stationtrust.logging.Redaction;

class AuditLogTest {
    @TempDir Path dir;

    private void writeThree() throws Exception {
        try (AuditLog log = AuditLog.open(dir, Clock.systemUTC())) {
            log.append("capture.completed", Map.of("consentReference", "C-1", "modality", "Finger"));
            log.append("capture.refused", Map.of("reason", "no consent reference"));
            log.append("enrollment.submitted", Map.of("machineName", "station-7"));
        }
    }

    private List<String> lines() throws Exception {
        return new ArrayList<>(Files.readAllLines(dir.resolve("audit.jsonl")));
    }

    private AuditChain.BrokenAuditChain verifyFails() {
        return assertThrows(AuditChain.BrokenAuditChain.class,
                () -> AuditChain.verify(dir.resolve("audit.jsonl"), dir.resolve("audit.head")));
    }

    @Test
    void verifiesAnUntouchedLogAndContinuesTheChainAfterReopening() throws Exception {
        writeThree();
        try (AuditLog log = AuditLog.open(dir, Clock.systemUTC())) {
            assertEquals(4, log.append("agent.started", Map.of()).get("seq").asLong());
        }
        assertEquals(4, AuditChain.verify(dir.resolve("audit.jsonl"), dir.resolve("audit.head")).records());
    }

    @Test
    void detectsAnEditedRecord() throws Exception {
        writeThree();
        List<String> lines = lines();
        lines.set(1, lines.get(1).replace("no consent reference", "consent given"));
        Files.write(dir.resolve("audit.jsonl"), lines);
        assertEquals(2, verifyFails().line());
    }

    @Test
    void detectsADeletedRecordInTheMiddle() throws Exception {
        writeThree();
        List<String> lines = lines();
        lines.remove(1);
        Files.write(dir.resolve("audit.jsonl"), lines);
        assertEquals(2, verifyFails().line());
    }

    @Test
    void detectsReorderedRecords() throws Exception {
        writeThree();
        List<String> lines = lines();
        String first = lines.remove(0);
        lines.add(1, first);
        Files.write(dir.resolve("audit.jsonl"), lines);
        assertEquals(1, verifyFails().line());
    }

    @Test
    void detectsRecordsDeletedFromTheEnd() throws Exception {
        writeThree();
        List<String> lines = lines();
        lines.remove(2);
        lines.remove(1);
        Files.write(dir.resolve("audit.jsonl"), lines);
        assertTrue(verifyFails().getMessage().contains("deleted from the end"));
    }

    @Test
    void refusesToExtendABrokenLog() throws Exception {
        writeThree();
        List<String> lines = lines();
        lines.set(0, lines.get(0).replace("C-1", "C-2"));
        Files.write(dir.resolve("audit.jsonl"), lines);
        assertThrows(AuditChain.BrokenAuditChain.class, () -> AuditLog.open(dir, Clock.systemUTC()));
    }

    @Test
    void redactsSecretsAndBiometricsBeforeWriting() throws Exception {
        try (AuditLog log = AuditLog.open(dir, Clock.systemUTC())) {
            log.append("capture.completed", Map.of("bioValue", "AAAA", "apiToken", "tok-123",
                    "note", "signed eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlc2lnbmF0dXJl"));
        }
        String text = Files.readString(dir.resolve("audit.jsonl"));
        assertFalse(text.contains("AAAA"));
        assertFalse(text.contains("tok-123"));
        assertFalse(text.contains("eyJhbGciOiJFUzI1NiJ9"));
        assertTrue(text.contains(Redaction.REDACTED));
    }

    @Test
    void answersWhichCapturesCompletedByTheRecordsEventNotByItsText() throws Exception {
        try (AuditLog log = AuditLog.open(dir, Clock.systemUTC())) {
            log.append(AuditLog.CAPTURE_COMPLETED, Map.of("packetId", "p-1"));
            // Another event that merely mentions the words and the id must not count.
            log.append("capture.refused", Map.of("packetId", "p-2", "note", "\"capture.completed\""));
            for (int i = 0; i < 2500; i++) log.append("test.filler", Map.of("n", i));
            log.append(AuditLog.CAPTURE_COMPLETED, Map.of("packetId", "p-3"));
            assertEquals(java.util.Set.of("p-1", "p-3"), log.completedCaptures(List.of("p-1", "p-2", "p-3", "p-4")));
            assertEquals(java.util.Set.of(), log.completedCaptures(List.of()));
        }
    }
}
