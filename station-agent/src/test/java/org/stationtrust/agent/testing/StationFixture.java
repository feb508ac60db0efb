package org.stationtrust.agent.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.stationtrust.agent.AgentConfig;
import org.stationtrust.agent.internal.config.ConfigLoader;
import org.stationtrust.agent.internal.service.RunningAgent;
import org.stationtrust.sbi.simulator.DeviceKind;
import org.stationtrust.sbi.simulator.SimulatedDevices;
import org.stationtrust.sbi.simulator.SimulatorConfig;
import org.stationtrust.tpm.simulator.SoftwareTpm;

/**
 * The real parts a station test needs, in one place: a software TPM (swtpm), the three simulated SBI
 * devices on consecutive free ports, and an agent.yaml pointing at them.
 */
public final class StationFixture implements AutoCloseable {
    private final Path dir;
    private final SoftwareTpm tpm;
    private final SimulatedDevices devices;
    private final Path trustStore;
    private final int firstPort;
    private final int lastPort;

    public StationFixture(Path dir) throws IOException {
        this(dir, java.util.List.of(org.stationtrust.tpm.verify.HashAlgorithm.SHA256));
    }

    /** A station whose TPM has these PCR banks allocated (SHA-1 and SHA-256 for an older laptop's firmware). */
    public StationFixture(Path dir, java.util.List<org.stationtrust.tpm.verify.HashAlgorithm> pcrBanks) throws IOException {
        this.dir = dir;
        this.tpm = SoftwareTpm.start(dir.resolve("tpm"), pcrBanks);
        // Below the kernel's ephemeral range (32768+), so no outgoing connection of another process holds these ports.
        int base = 10000 + ThreadLocalRandom.current().nextInt(20000);
        this.devices = SimulatedDevices.start(SimulatorConfig.builder(DeviceKind.FINGER_SLAP).firstFreePortIn(base, base + 200).build());
        this.trustStore = Files.createDirectories(dir.resolve("device-ca"));
        devices.all().get(0).writeDeviceProviderCaPem(trustStore.resolve("provider.pem"));
        this.firstPort = devices.all().stream().mapToInt(d -> d.port()).min().orElseThrow();
        this.lastPort = devices.all().stream().mapToInt(d -> d.port()).max().orElseThrow();
    }

    public SoftwareTpm tpm() {
        return tpm;
    }

    public SimulatedDevices devices() {
        return devices;
    }

    public Path trustStore() {
        return trustStore;
    }

    /** A development-mode agent.yaml (no server unless given) using this TPM and these devices. */
    public Path writeConfig(String name, String extraYaml) throws IOException {
        Path file = dir.resolve(name + ".yaml");
        Files.writeString(file, "mode: development\n"
                + "state_dir: " + dir.resolve(name + "-state") + "\n"
                + "machine:\n  name: " + name + "\n"
                + "tpm:\n  uri: " + tpm.uri() + "\n"
                + "devices:\n  trust_store: " + trustStore + "\n  ports: " + firstPort + "-" + lastPort + "\n  env: Staging\n"
                + "api:\n  port: 0\n" + extraYaml);
        return file;
    }

    /** A production-mode agent.yaml: everything pinned (server certificate, device CAs, TPM). */
    public AgentConfig productionConfig(String name, String serverUrl, String pin, Map<String, String> env) throws Exception {
        return productionConfig(name, serverUrl, java.util.List.of(pin), env);
    }

    /** The same with several server key pins (the current key and the next, during a planned key change). */
    public AgentConfig productionConfig(String name, String serverUrl, java.util.List<String> pins, Map<String, String> env)
            throws Exception {
        return new ConfigLoader(env).load(productionConfigFile(name, serverUrl, pins));
    }

    /** The same with more settings in its {@code server:} block, e.g. {@code enrollment_attempts: 20}. */
    public AgentConfig productionConfig(String name, String serverUrl, String pin, Map<String, String> env,
                                        Map<String, Object> serverSettings) throws Exception {
        return new ConfigLoader(env).load(productionConfigFile(name, serverUrl, java.util.List.of(pin), serverSettings));
    }

    /** The production-mode agent.yaml itself (for the command line). */
    public Path productionConfigFile(String name, String serverUrl, String pin) throws IOException {
        return productionConfigFile(name, serverUrl, java.util.List.of(pin));
    }

    private Path productionConfigFile(String name, String serverUrl, java.util.List<String> pins) throws IOException {
        return productionConfigFile(name, serverUrl, pins, Map.of());
    }

    private Path productionConfigFile(String name, String serverUrl, java.util.List<String> pins,
                                      Map<String, Object> serverSettings) throws IOException {
        StringBuilder server = new StringBuilder();
        serverSettings.forEach((key, value) -> server.append("  ").append(key).append(": ").append(value).append('\n'));
        Path file = dir.resolve(name + ".yaml");
        Files.writeString(file, "mode: production\n"
                + "state_dir: " + dir.resolve(name + "-state") + "\n"
                + "machine:\n  name: " + name + "\n"
                + "server:\n  url: " + serverUrl + "\n  public_key_pins: [\"" + String.join("\", \"", pins) + "\"]\n  timeout_seconds: 10\n" + server
                + "tpm:\n  uri: " + tpm.uri() + "\n"
                + "devices:\n  trust_store: " + trustStore + "\n  ports: " + firstPort + "-" + lastPort + "\n  env: Staging\n"
                + "api:\n  port: 0\n"
                + "queue:\n  initial_backoff_ms: 50\n  max_backoff_seconds: 1\n");
        return file;
    }

    public AgentConfig config(String name, String extraYaml, Map<String, String> env) throws Exception {
        return new ConfigLoader(env).load(writeConfig(name, extraYaml));
    }

    public RunningAgent startAgent(String name) throws Exception {
        return RunningAgent.start(config(name, "", Map.of()), Clock.systemUTC());
    }

    @Override
    public void close() {
        devices.close();
        tpm.close();
    }
}
