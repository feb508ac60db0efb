package org.stationtrust.agent.internal.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A record appended together with another store's write: both are kept, or the record is cut off again. */
class AuditAppendTogetherTest {
    @TempDir Path dir;

    private AuditChain.Verified verify() throws Exception {
        return AuditChain.verify(dir.resolve("audit.jsonl"), dir.resolve("audit.head"));
    }

    @Test
    void whenTheOtherWriteFailsTheRecordIsRemovedNobodyHearsOfItAndTheChainGoesOn() throws Exception {
        List<ObjectNode> heard = new ArrayList<>();
        try (AuditLog log = AuditLog.open(dir, Clock.systemUTC())) {
            log.onAppend(appended -> heard.add(appended.record()));
            log.append("agent.started", Map.of("n", 1));
            long sizeBefore = Files.size(dir.resolve("audit.jsonl"));
            IllegalStateException queueFull = new IllegalStateException("queue full");
            IllegalStateException thrown = assertThrows(IllegalStateException.class,
                    () -> log.appendTogetherWith("capture.completed", Map.of("packetId", "P-1"), () -> {
                        throw queueFull;
                    }));
            assertSame(queueFull, thrown, "the other store's error reaches the caller unchanged");
            assertEquals(sizeBefore, Files.size(dir.resolve("audit.jsonl")), "the record was cut off again");
            assertFalse(Files.readString(dir.resolve("audit.jsonl")).contains("P-1"));
            assertEquals(1, heard.size(), "listeners never saw the withdrawn record");
            assertEquals(1, verify().records());
            log.append("capture.completed", Map.of("packetId", "P-2"));
        }
        assertEquals(2, verify().records(), "the next record continues the chain");
    }

    @Test
    void whenBothWritesSucceedTheRecordIsThereBeforeTheOtherWriteRuns() throws Exception {
        try (AuditLog log = AuditLog.open(dir, Clock.systemUTC())) {
            List<Boolean> recordOnDiskDuringTheOtherWrite = new ArrayList<>();
            log.appendTogetherWith("capture.completed", Map.of("packetId", "P-3"), () -> recordOnDiskDuringTheOtherWrite.add(
                    readQuietly(dir.resolve("audit.jsonl")).contains("P-3")));
            assertEquals(List.of(true), recordOnDiskDuringTheOtherWrite, "the record is synced before the other write");
        }
        assertEquals(1, verify().records());
    }

    @Test
    void aWriteRunConcurrentlyWithTheSyncThatFailsCutsTheRecordOffAndOneThatSucceedsKeepsIt() throws Exception {
        java.util.concurrent.ExecutorService writer = java.util.concurrent.Executors.newSingleThreadExecutor();
        List<String> undone = new ArrayList<>();
        try (AuditLog log = AuditLog.open(dir, Clock.systemUTC())) {
            List<ObjectNode> heard = new ArrayList<>();
            log.onAppend(appended -> heard.add(appended.record()));
            IllegalStateException queueFull = new IllegalStateException("queue full");
            assertSame(queueFull, assertThrows(IllegalStateException.class, () -> log.appendConcurrentlyWith("capture.completed",
                    Map.of("packetId", "P-4"), () -> {
                        throw queueFull;
                    }, writer, () -> undone.add("P-4"))));
            assertFalse(Files.readString(dir.resolve("audit.jsonl")).contains("P-4"), "the record was cut off again");
            List<Boolean> recordWrittenFirst = new ArrayList<>();
            log.appendConcurrentlyWith("capture.completed", Map.of("packetId", "P-5"),
                    () -> recordWrittenFirst.add(readQuietly(dir.resolve("audit.jsonl")).contains("P-5")), writer, () -> undone.add("P-5"));
            assertEquals(List.of(true), recordWrittenFirst, "the record is written before the other write starts");
            assertEquals(1, heard.size(), "listeners heard only the record kept with its write");
            assertEquals(List.of(), undone, "nothing to undo when the record's sync succeeds");
        } finally {
            writer.shutdown();
        }
        assertEquals(1, verify().records());
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
