package org.stationtrust.agent.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.stationtrust.agent.internal.api.ApiToken;

/** The agent as its own operating-system process ({@code java ... Main --config FILE run}), as systemd runs it. */
public final class AgentProcess implements AutoCloseable {
    private final Process process;
    private final Path log;

    private AgentProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    public static AgentProcess start(Path config, Path log) throws IOException {
        return start(config, log, java.util.Map.of());
    }

    /** The same with these environment variables added (e.g. the enrollment token). */
    public static AgentProcess start(Path config, Path log, java.util.Map<String, String> env) throws IOException {
        ProcessBuilder b = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "org.stationtrust.agent.Main", "--config", config.toString(), "run")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        b.environment().putAll(env);
        return new AgentProcess(b.start(), log);
    }

    public long pid() {
        return process.pid();
    }

    /** Waits until the local API answers with the token from the state directory. */
    public AgentClient awaitReady(Path stateDir, int port) throws Exception {
        long deadline = System.nanoTime() + 90_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) throw new IllegalStateException("the agent process exited early:\n" + Files.readString(log));
            if (Files.exists(stateDir.resolve(ApiToken.FILE_NAME))) {
                try {
                    AgentClient client = new AgentClient(port, Files.readString(stateDir.resolve(ApiToken.FILE_NAME)).trim());
                    if (client.get("/v1/status").status() == 200) return client;
                } catch (IOException e) {
                    // not listening yet
                }
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("the agent was not ready within 90 s:\n" + Files.readString(log));
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed by the agent. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
