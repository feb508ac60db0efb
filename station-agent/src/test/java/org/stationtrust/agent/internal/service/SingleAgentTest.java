package org.stationtrust.agent.internal.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stationtrust.agent.AgentConfig;
import org.stationtrust.agent.internal.config.ConfigLoader;
import org.stationtrust.agent.internal.config.StateDirectoryLock;

/**
 * One agent per state directory: a second one, in another process or in this one, is refused with a message naming
 * the holder, before it touches the audit log; the lock ends with its holder.
 */
class SingleAgentTest {
    @TempDir Path dir;

    private Path configFile() throws Exception {
        Path file = dir.resolve("agent.yaml");
        Files.writeString(file, "mode: development\nstate_dir: " + dir.resolve("state") + "\ntpm:\n  uri: none\napi:\n  port: 0\n");
        return file;
    }

    private static AgentConfig load(Path file) throws Exception {
        return new ConfigLoader(Map.of()).load(file);
    }

    @Test
    void aSecondAgentInAnotherProcessIsRefusedNamingTheHolder() throws Exception {
        Path config = configFile();
        try (RunningAgent first = RunningAgent.start(load(config), Clock.systemUTC())) {
            long auditSize = Files.size(dir.resolve("state/audit.jsonl"));
            Process second = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), "org.stationtrust.agent.Main", "--config", config.toString(), "run")
                    .redirectErrorStream(true).start();
            String output = new String(second.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(second.waitFor(60, TimeUnit.SECONDS), "the second agent stops at once");
            assertEquals(1, second.exitValue(), output);
            assertTrue(output.contains("is in use by another station-agent (pid " + ProcessHandle.current().pid()
                    + ", station-agent run"), output);
            assertTrue(output.contains("systemctl stop station-agent"), output);
            assertEquals(auditSize, Files.size(dir.resolve("state/audit.jsonl")), "the refused agent wrote no audit record");
        }
    }

    @Test
    void aSecondAgentInTheSameProcessIsRefusedAndTheLockEndsWithTheFirst() throws Exception {
        AgentConfig config = load(configFile());
        try (RunningAgent first = RunningAgent.start(config, Clock.systemUTC())) {
            AgentStartFailure e = assertThrows(AgentStartFailure.class, () -> RunningAgent.start(config, Clock.systemUTC()));
            assertTrue(e.getMessage().contains("is in use by another station-agent"), e.getMessage());
            assertTrue(e.getCause() instanceof StateDirectoryLock.StateDirectoryInUse, String.valueOf(e.getCause()));
        }
        try (RunningAgent again = RunningAgent.start(config, Clock.systemUTC())) {
            assertTrue(Files.exists(dir.resolve("state").resolve(StateDirectoryLock.FILE)));
        }
    }
}
