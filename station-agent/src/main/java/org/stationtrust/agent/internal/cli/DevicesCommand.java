package org.stationtrust.agent.internal.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.stationtrust.agent.AgentConfig;
import org.stationtrust.agent.internal.api.DeviceView;
import org.stationtrust.agent.internal.capture.DeviceDirectory;
import org.stationtrust.protocol.WireJson;
import org.stationtrust.sbi.client.SbiClient;
import org.stationtrust.sbi.client.SbiClientConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "devices", description = "Discover SBI devices on 127.0.0.1 and show which are trusted, and why not.")
final class DevicesCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        AgentConfig c = AgentCommand.loadConfig(AgentCommand.configOf(spec), spec.commandLine().getErr());
        if (c == null) return AgentCommand.EXIT_CONFIG;
        PrintWriter out = spec.commandLine().getOut();
        if (c.devices().trustStore().isEmpty()) {
            spec.commandLine().getErr().println("no devices.trust_store configured: no device can be trusted");
            return AgentCommand.EXIT_FAILED;
        }
        try (SbiClient sbi = new SbiClient(SbiClientConfig.builder(c.devices().loadTrustStore())
                .ports(c.devices().firstPort(), c.devices().lastPort()).allowedSkew(c.devices().allowedSkew())
                .env(c.devices().environment()).build())) {
            List<DeviceView> devices = DeviceDirectory.describe(sbi.discover()).devices();
            if (devices.isEmpty()) out.println("no SBI device answered on 127.0.0.1:" + c.devices().firstPort() + "-" + c.devices().lastPort());
            for (DeviceView d : devices) out.println(WireJson.answers().writeValueAsString(d));
            return devices.stream().anyMatch(d -> d instanceof DeviceView.Verified v && v.trusted()) ? 0 : AgentCommand.EXIT_FAILED;
        } catch (IOException e) {
            spec.commandLine().getErr().println("cannot read the device trust store: " + e.getMessage());
            return AgentCommand.EXIT_FAILED;
        }
    }
}
