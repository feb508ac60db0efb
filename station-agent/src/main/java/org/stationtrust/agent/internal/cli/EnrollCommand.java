package org.stationtrust.agent.internal.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.stationtrust.agent.AgentConfig;
import org.stationtrust.agent.internal.api.ApiRefusal;
import org.stationtrust.agent.internal.api.EnrollmentAnswer;
import org.stationtrust.agent.internal.config.SecretFiles;
import org.stationtrust.agent.internal.service.AgentStartFailure;
import org.stationtrust.agent.internal.service.RunningAgent;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "enroll", description = "Enroll this machine with the enrollment server (EK, AK, certified machine key,"
        + " credential challenge, first quote); the station then waits for an administrator's approval.")
final class EnrollCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--server", paramLabel = "URL", description = "server URL (default: server.url of the configuration)")
    URI server;

    /** Refused, with the reason: a token in the arguments is readable by every user in /proc/PID/cmdline. */
    @Option(names = "--token", paramLabel = "T", hidden = true)
    String tokenOnCommandLine;

    @Option(names = "--token-file", paramLabel = "FILE", description = "file (0600, owned by you) holding the one-time"
            + " enrollment token")
    Path tokenFile;

    @Option(names = "--token-stdin", description = "read the one-time enrollment token from standard input (one line)")
    boolean tokenStdin;

    static final String TOKEN_ON_COMMAND_LINE = "--token is refused: a token on the command line is readable by every"
            + " user of this machine (process list, /proc/PID/cmdline); put it in a file only you can read (chmod 600)"
            + " and pass --token-file FILE, or pipe it in with --token-stdin";

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (tokenOnCommandLine != null) {
            err.println("station-agent: " + TOKEN_ON_COMMAND_LINE);
            return AgentCommand.EXIT_USAGE;
        }
        if (tokenFile != null && tokenStdin) {
            err.println("station-agent: give the token one way: --token-file FILE or --token-stdin, not both");
            return AgentCommand.EXIT_USAGE;
        }
        AgentConfig config = AgentCommand.loadConfig(AgentCommand.configOf(spec), spec.commandLine().getErr());
        if (config == null) return AgentCommand.EXIT_CONFIG;
        if (server != null) {
            boolean loopbackHttp = "http".equals(server.getScheme()) && config.development()
                    && ("127.0.0.1".equals(server.getHost()) || "localhost".equals(server.getHost()));
            if (!"https".equals(server.getScheme()) && !loopbackHttp) {
                err.println("--server must be https:// (plain http only to 127.0.0.1 in mode: development)");
                return AgentCommand.EXIT_CONFIG;
            }
            config = withServer(config, server);
        }
        if (config.server().url().isEmpty()) {
            err.println("no server: pass --server URL or set server.url");
            return AgentCommand.EXIT_CONFIG;
        }
        Optional<String> oneTime;
        try {
            oneTime = oneTimeToken();
        } catch (SecretFiles.UnusableSecretFile e) {
            err.println("station-agent: the enrollment token: " + e.getMessage());
            return AgentCommand.EXIT_CONFIG;
        }
        Optional<LocalAgent> running = LocalAgent.find(config);
        if (running.isPresent()) {
            ObjectNode body = JsonNodeFactory.instance.objectNode();
            oneTime.ifPresent(t -> body.put("token", t));
            LocalAgent.Answer a = running.get().call("POST", "/v1/enrollment", body.toString());
            out.println(a.body());
            return a.status() == 200 ? 0 : AgentCommand.EXIT_FAILED;
        }
        try (RunningAgent agent = RunningAgent.start(onAnyPort(config), Clock.systemUTC(), false)) {
            EnrollmentAnswer result = agent.enroll(oneTime);
            out.println("enrolled: machineId " + result.machineId() + ", state " + result.enrollment()
                    + "; an administrator must now approve this station");
            return 0;
        } catch (ApiRefusal e) {
            err.println("enrollment failed (" + e.code() + "): " + e.getMessage());
            return AgentCommand.EXIT_FAILED;
        } catch (AgentStartFailure e) {
            err.println("station-agent: " + e.getMessage());
            return AgentCommand.EXIT_FAILED;
        }
    }

    /** The token from --token-file (checked as every secret file) or from standard input, if given. */
    private Optional<String> oneTimeToken() throws SecretFiles.UnusableSecretFile {
        if (tokenFile != null) return Optional.of(new SecretFiles().read(tokenFile));
        if (!tokenStdin) return Optional.empty();
        return Optional.of(SecretFiles.fromStream(System.in, "standard input"));
    }

    private static AgentConfig onAnyPort(AgentConfig c) {
        return new AgentConfig(c.mode(), c.stateDir(), c.machineName(), c.server(), c.tpm(), c.devices(),
                new AgentConfig.Api(0, c.api().corsOrigin(), c.api().maxBodyBytes(), c.api().tokenGroup()), c.queue());
    }

    private static AgentConfig withServer(AgentConfig c, URI url) {
        AgentConfig.Server s = c.server();
        return new AgentConfig(c.mode(), c.stateDir(), c.machineName(), new AgentConfig.Server(Optional.of(url),
                s.publicKeyPins(), s.enrollmentToken(), s.timeout(), s.attestationInterval(), s.enrollmentRetry()), c.tpm(), c.devices(), c.api(), c.queue());
    }
}
