package org.stationtrust.agent.internal.faults;

import static org.stationtrust.agent.testing.Commands.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stationtrust.agent.internal.audit.AuditChain;
import org.stationtrust.agent.internal.audit.AuditLog;

/**
 * The audit log on a full disk (a 1 MiB tmpfs): an append that cannot be written fails without leaving part
 * of a record behind, so the chain still verifies and keeps growing once space is freed. Needs root to
 * mount; skipped with the reason otherwise.
 */
class AuditAppendOnFullDiskTest {
    @TempDir Path dir;

    @Test
    void aFailedAppendLeavesNoTornRecordAndTheChainContinuesAfterSpaceIsFreed() throws Exception {
        Path mount = Files.createDirectories(dir.resolve("tiny"));
        assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=1m,mode=0700", "tmpfs", mount.toString()) == 0,
                "mounting a 1 MiB tmpfs needs root (mount -t tmpfs); not permitted here");
        try {
            Path state = Files.createDirectories(mount.resolve("state"));
            Path filler = mount.resolve("filler");
            int written = 0;
            try (AuditLog log = AuditLog.open(state, Clock.systemUTC())) {
                log.append("test.before", Map.of("n", 1));
                try (OutputStream out = Files.newOutputStream(filler)) {
                    byte[] block = new byte[4096];
                    while (true) out.write(block);
                } catch (IOException full) {
                    // ENOSPC
                }
                // Records go into the log's last partly used page until it is full, then appends must fail.
                int failed = 0;
                for (int i = 0; i < 100_000 && failed < 3; i++) {
                    try {
                        log.append("test.full", Map.of("registrationId", "R-" + i, "operator", "op-1"));
                        written++;
                    } catch (UncheckedIOException expected) {
                        failed++;
                    }
                }
                assertEquals(3, failed, "appends fail once the disk is full (" + written + " fitted)");
                assertEquals(1 + written, AuditChain.verify(state.resolve("audit.jsonl"), state.resolve("audit.head")).records(),
                        "the failed appends left nothing behind");
                Files.delete(filler);
                log.append("test.after", Map.of("n", 2));
            }
            assertEquals(1 + written + 1, AuditChain.verify(state.resolve("audit.jsonl"), state.resolve("audit.head")).records(),
                    "the chain continues after space was freed");
        } finally {
            run("umount", "-l", mount.toString());
        }
    }
}
