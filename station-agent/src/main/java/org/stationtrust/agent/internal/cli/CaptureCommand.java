package org.stationtrust.agent.internal.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.stationtrust.agent.AgentConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "capture", description = "Capture one modality through the running agent (a test of the station);"
        + " prints the verified subtypes, qualities and the packet id, never the biometrics.")
final class CaptureCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--modality", required = true, description = "Finger, Iris or Face")
    String modality;
    @Option(names = "--device-sub-id", defaultValue = "0", description = "1 left, 2 right, 3 thumbs/both, 0 single/face")
    int deviceSubId;
    @Option(names = "--exception", description = "a missing finger or iris (repeatable)")
    List<String> exceptions = List.of();
    @Option(names = "--consent", required = true, description = "the registration's consent reference")
    String consent;
    @Option(names = "--registration", required = true, description = "the registration id (chains its captures)")
    String registration;

    @Override
    public Integer call() throws Exception {
        AgentConfig config = AgentCommand.loadConfig(AgentCommand.configOf(spec), spec.commandLine().getErr());
        if (config == null) return AgentCommand.EXIT_CONFIG;
        Optional<LocalAgent> running = LocalAgent.required(config, spec.commandLine().getErr());
        if (running.isEmpty()) return AgentCommand.EXIT_FAILED;
        ObjectNode order = JsonNodeFactory.instance.objectNode();
        order.put("modality", modality);
        order.put("deviceSubId", deviceSubId);
        exceptions.forEach(order.putArray("exceptions")::add);
        order.put("consentReference", consent);
        order.put("registrationId", registration);
        LocalAgent.Answer a = running.get().call("POST", "/v1/captures", order.toString());
        PrintWriter out = spec.commandLine().getOut();
        if (a.status() != 200) {
            spec.commandLine().getErr().println("capture refused (" + a.body().path("error").path("code").asText() + "): "
                    + a.body().path("error").path("message").asText());
            return AgentCommand.EXIT_FAILED;
        }
        out.println("packet " + a.body().path("packetId").asText() + " (signed by the TPM), transaction " + a.body().path("transactionId").asText());
        for (JsonNode b : a.body().path("biometrics")) {
            out.println("  " + b.path("bioType").asText() + " " + b.path("bioSubType").asText() + " quality " + b.path("qualityScore").asText());
        }
        return 0;
    }
}
