package org.stationtrust.demo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code station-agent run} as systemd runs it, as its own process with an agent.yaml and the enrollment token
 * in a 0600 file; the demo talks to it as the registration application does (local API, bearer token from
 * the state directory) and follows what it does in its audit log.
 */
final class AgentProcess implements AutoCloseable {
    static final String MAIN = "org.stationtrust.agent.Main";
    private static final Duration WAIT = Duration.ofSeconds(60);

    private final Path config;
    private final Path stateDir;
    private final ChildJava process;
    private final JsonHttp local;
    private final int apiPort;

    private AgentProcess(Path config, Path stateDir, ChildJava process, JsonHttp local, int apiPort) {
        this.config = config;
        this.stateDir = stateDir;
        this.process = process;
        this.local = local;
        this.apiPort = apiPort;
    }

    static AgentProcess start(Path config, Path stateDir, Path enrollmentToken, Path log) throws Exception {
        ChildJava p = ChildJava.start("station-agent", log,
                Map.of("STATION_AGENT_SERVER_ENROLLMENT_TOKEN_FILE", enrollmentToken.toString()), MAIN, "--config",
                config.toString(), "run");
        try {
            Matcher m = p.awaitLine(Pattern.compile("local API on 127\\.0\\.0\\.1:(\\d+), token in (\\S+)"), WAIT);
            int port = Integer.parseInt(m.group(1));
            JsonHttp local = JsonHttp.loopback(port, Files.readString(Path.of(m.group(2))).strip());
            return new AgentProcess(config, stateDir, p, local, port);
        } catch (Exception | Error e) {
            p.close();
            throw e;
        }
    }

    int apiPort() {
        return apiPort;
    }

    /** The local API, as the registration application calls it. */
    JsonHttp api() {
        return local;
    }

    /** Waits for the first audit record of {@code event}; an enrollment refusal ends the wait with its reason. */
    JsonNode awaitAudit(String event) throws Exception {
        Path log = stateDir.resolve("audit.jsonl");
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(log)) {
                for (String line : Files.readAllLines(log)) {
                    JsonNode r;
                    try {
                        r = JsonHttp.JSON.readTree(line);
                    } catch (JsonProcessingException beingWritten) {
                        continue; // the agent is appending this line right now: read it on the next pass
                    }
                    String seen = r.path("event").asText();
                    if (event.equals(seen)) {
                        return r;
                    }
                    if ("enrollment.refused".equals(seen) || "enrollment.activation_refused".equals(seen)) {
                        throw new IllegalStateException("the server refused the enrollment: " + r.path("fields"));
                    }
                }
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("the agent stopped; see its log next to " + config);
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("no '" + event + "' in the agent's audit log " + log + " within " + WAIT.toSeconds() + " s");
    }

    /** Polls {@code GET /v1/status} until {@code condition} holds. */
    JsonNode awaitStatus(Predicate<JsonNode> condition) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            last = local.getOk("/v1/status");
            if (condition.test(last)) {
                return last;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the agent did not reach the expected state within " + WAIT.toSeconds()
                + " s; last status " + last);
    }

    /** Stops the agent as systemd does (SIGTERM); returns its exit code. */
    int stop() throws InterruptedException {
        return process.stopGracefully();
    }

    /** {@code station-agent audit verify} with the same configuration. */
    ChildJava.Outcome auditVerify() throws Exception {
        return ChildJava.run(WAIT, Map.of(), MAIN, "--config", config.toString(), "audit", "verify");
    }

    long pid() {
        return process.pid();
    }

    long residentKb() throws java.io.IOException {
        return process.residentKb();
    }

    @Override
    public void close() {
        process.close();
    }
}
