package org.stationtrust.agent.internal.boot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stationtrust.agent.AgentConfig;
import org.stationtrust.agent.InvalidConfiguration;
import org.stationtrust.agent.internal.config.ConfigLoader;

/**
 * The boot event log sources: a file read until end of file (securityfs reports size 0, so does a FIFO), and
 * TBS with a fake in place of Windows (JnaTbs itself cannot run here).
 */
class EventLogSourcesTest {
    @TempDir
    Path dir;

    @Test
    void aFileThatReportsSizeZeroIsReadUntilEndOfFile() throws Exception {
        Path fifo = dir.resolve("binary_bios_measurements");
        Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertTrue(mk.waitFor(10, TimeUnit.SECONDS) && mk.exitValue() == 0, "mkfifo");
        assertEquals(0, Files.size(fifo));
        byte[] log = new byte[70_000];
        new Random(4).nextBytes(log);
        Thread writer = new Thread(() -> {
            try (OutputStream out = Files.newOutputStream(fifo)) {
                for (int i = 0; i < log.length; i += 4096) {
                    out.write(log, i, Math.min(4096, log.length - i));
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        writer.start();
        assertArrayEquals(log, new EventLogFile(fifo).read().orElseThrow());
        writer.join();
    }

    @Test
    void aMissingEmptyOrOversizedFileIsUnreadableWithTheFix() throws Exception {
        EventLogUnreadable missing = assertThrows(EventLogUnreadable.class,
                () -> new EventLogFile(dir.resolve("absent")).read());
        assertTrue(missing.getMessage().contains("systemd unit"), missing.getMessage());
        Path empty = Files.write(dir.resolve("empty"), new byte[0]);
        assertThrows(EventLogUnreadable.class, () -> new EventLogFile(empty).read());
        Path big = Files.write(dir.resolve("big"), new byte[EventLogSource.MAX_BYTES + 1]);
        assertTrue(assertThrows(EventLogUnreadable.class, () -> new EventLogFile(big).read()).getMessage()
                .contains("larger than"));
    }

    /** Tbsi_Get_TCG_Log_Ex as Windows answers it, scripted. */
    private static class FakeTbs implements Tbs {
        final List<byte[]> logs;
        final List<String> calls = new ArrayList<>();
        int failWith = SUCCESS;
        int reads;

        FakeTbs(byte[]... logs) {
            this.logs = List.of(logs);
        }

        @Override
        public int getTcgLogEx(int logType, byte[] output, int[] size) {
            calls.add(output == null ? "size" : "read " + output.length);
            assertEquals(SRTM_CURRENT, logType);
            if (failWith != SUCCESS) {
                return failWith;
            }
            byte[] log = logs.get(Math.min(reads, logs.size() - 1));
            if (output == null) {
                size[0] = log.length;
                return SUCCESS;
            }
            reads++;
            if (size[0] < log.length) {
                size[0] = log.length;
                return TbsEventLog.INSUFFICIENT_BUFFER;
            }
            System.arraycopy(log, 0, output, 0, log.length);
            size[0] = log.length;
            return SUCCESS;
        }
    }

    @Test
    void tbsIsAskedForTheSizeThenRead() throws Exception {
        byte[] log = {1, 2, 3, 4, 5};
        FakeTbs tbs = new FakeTbs(log);
        assertArrayEquals(log, new TbsEventLog(tbs).read().orElseThrow());
        assertEquals(List.of("size", "read 5"), tbs.calls);
    }

    @Test
    void aLogThatGrowsBetweenTheTwoCallsIsReadAgainWithTheNewSize() throws Exception {
        byte[] small = {1, 2, 3};
        byte[] grown = {1, 2, 3, 4, 5, 6};
        FakeTbs tbs = new FakeTbs(small, grown) {
            @Override
            public int getTcgLogEx(int logType, byte[] output, int[] size) {
                // the size is asked while the log is small, the read finds it grown
                if (output == null && reads == 0) {
                    calls.add("size");
                    size[0] = small.length;
                    return SUCCESS;
                }
                if (output != null && reads == 0) {
                    reads++;
                    calls.add("read " + output.length);
                    size[0] = grown.length;
                    return TbsEventLog.INSUFFICIENT_BUFFER;
                }
                return super.getTcgLogEx(logType, output, size);
            }
        };
        assertArrayEquals(grown, new TbsEventLog(tbs).read().orElseThrow());
        assertEquals(List.of("size", "read 3", "size", "read 6"), tbs.calls);
    }

    @Test
    void aTbsErrorOrAnOversizedLogIsUnreadableWithTheCode() {
        FakeTbs noTpm = new FakeTbs(new byte[1]);
        noTpm.failWith = 0x8028400f;
        assertTrue(assertThrows(EventLogUnreadable.class, () -> new TbsEventLog(noTpm).read()).getMessage()
                .contains("0x8028400f"));
        FakeTbs huge = new FakeTbs(new byte[EventLogSource.MAX_BYTES + 1]);
        assertThrows(EventLogUnreadable.class, () -> new TbsEventLog(huge).read());
    }

    @Test
    void theConfigurationNamesTheSourceAndRefusesARelativePath() throws Exception {
        Path yaml = Files.writeString(dir.resolve("agent.yaml"), "mode: development\nstate_dir: " + dir.resolve("s")
                + "\nmachine:\n  name: t\ntpm:\n  uri: swtpm:127.0.0.1:2321\napi:\n  port: 0\n");
        AgentConfig defaults = new ConfigLoader(Map.of()).load(yaml);
        assertEquals("/run/station-agent/binary_bios_measurements", defaults.tpm().eventLog());
        assertTrue(EventLogSources.of(defaults) instanceof EventLogFile);
        AgentConfig none = new ConfigLoader(Map.of("STATION_AGENT_TPM_EVENT_LOG", "none")).load(yaml);
        assertTrue(EventLogSources.of(none).read().isEmpty());
        InvalidConfiguration relative = assertThrows(InvalidConfiguration.class,
                () -> new ConfigLoader(Map.of("STATION_AGENT_TPM_EVENT_LOG", "log.bin")).load(yaml));
        assertTrue(relative.getMessage().contains("tpm.event_log"), relative.getMessage());
    }
}
