package org.stationtrust.agent.internal.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.crypto.KeyGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stationtrust.agent.internal.atrest.AesGcmCipher;
import org.stationtrust.agent.internal.audit.AuditLog;
import org.stationtrust.agent.internal.queue.Backoff;
import org.stationtrust.agent.internal.queue.OutboundQueue;

/** Packets in the queue are kept only with their capture's audit record (real SQLite queue, real log file). */
class QueuedPacketsTest {
    @TempDir Path dir;

    @Test
    void atStartAPacketWithoutItsCaptureRecordIsRemovedAndOneWithItStays() throws Exception {
        KeyGenerator generator = KeyGenerator.getInstance("AES");
        generator.init(256);
        try (AuditLog audit = AuditLog.open(dir, Clock.systemUTC());
             OutboundQueue queue = OutboundQueue.open(dir.resolve("queue.db"), new AesGcmCipher(generator.generateKey()),
                     Clock.systemUTC(), new Backoff(Duration.ofMillis(10), Duration.ofMillis(40)))) {
            QueuedPackets packets = new QueuedPackets(queue);
            audit.appendTogetherWith("capture.completed", Map.of("packetId", "P-kept"), () -> packets.store("P-kept", "a.b.c"));
            // A power cut after the queue's commit but before the record's sync: the packet is there, its record is not.
            packets.store("P-orphan", "d.e.f");
            String legacy = queue.enqueue("packet", QueuedPackets.PATH, "{}".getBytes(java.nio.charset.StandardCharsets.US_ASCII));

            assertEquals(1, QueuedPackets.discardOrphans(queue, audit));
            assertEquals(List.of("packet:P-kept"), queue.keysStartingWith(QueuedPackets.KEY_PREFIX));
            assertEquals(2, queue.counts().waiting(), "the kept packet and a row queued by an older agent (not keyed by packet id)");
            assertTrue(queue.keysStartingWith("").contains(legacy));
            assertTrue(Files.readString(audit.file()).contains("capture.orphan_discarded"), "the removal is audited");
            assertEquals(0, QueuedPackets.discardOrphans(queue, audit), "nothing left to remove");
        }
    }
}
