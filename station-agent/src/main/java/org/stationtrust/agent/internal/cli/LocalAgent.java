package org.stationtrust.agent.internal.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Optional;
import org.stationtrust.agent.AgentConfig;
import org.stationtrust.agent.internal.api.ApiToken;
import picocli.CommandLine.Model.CommandSpec;

/** The CLI's way to a running agent: its local API on 127.0.0.1 with the token from the state directory. */
final class LocalAgent {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private final int port;
    private final String token;

    /** One answer of the running agent. */
    record Answer(int status, JsonNode body) {
    }

    private LocalAgent(int port, String token) {
        this.port = port;
        this.token = token;
    }

    /** The running agent, when its API answers on the configured port and its token file is readable. */
    static Optional<LocalAgent> find(AgentConfig config) {
        if (config.api().port() == 0 || !Files.exists(config.stateDir().resolve(ApiToken.FILE_NAME))) return Optional.empty();
        try {
            LocalAgent agent = new LocalAgent(config.api().port(), ApiToken.loadOrCreate(config.stateDir(), config.api().tokenGroup()).reveal());
            return agent.call("GET", "/v1/status", null).status() == 200 ? Optional.of(agent) : Optional.empty();
        } catch (IOException | InterruptedException e) {
            if (e instanceof InterruptedException) Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** The running agent, or empty having told the user on {@code err} to start it. */
    static Optional<LocalAgent> required(AgentConfig config, PrintWriter err) {
        Optional<LocalAgent> running = find(config);
        if (running.isEmpty()) {
            err.println("the agent is not running: start it (systemctl start station-agent) and retry");
        }
        return running;
    }

    /**
     * A command that asks the running agent one thing: POSTs {@code path} without a body, prints the answer; exit 0
     * when it is {@code okStatus}.
     */
    static int post(CommandSpec spec, String path, int okStatus) throws IOException, InterruptedException {
        AgentConfig config = AgentCommand.loadConfig(AgentCommand.configOf(spec), spec.commandLine().getErr());
        if (config == null) return AgentCommand.EXIT_CONFIG;
        Optional<LocalAgent> running = required(config, spec.commandLine().getErr());
        if (running.isEmpty()) return AgentCommand.EXIT_FAILED;
        Answer a = running.get().call("POST", path, null);
        spec.commandLine().getOut().println(a.body());
        return a.status() == okStatus ? 0 : AgentCommand.EXIT_FAILED;
    }

    Answer call(String method, String path, String json) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(120)).header("Authorization", "Bearer " + token);
        if (json == null) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(r.body()));
    }
}
