package org.stationtrust.agent.internal.capture;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.stationtrust.agent.internal.api.DeviceView;
import org.stationtrust.agent.internal.api.DevicesAnswer;
import org.stationtrust.logging.JsonLog;
import org.stationtrust.logging.Redaction;
import org.stationtrust.sbi.client.Device;
import org.stationtrust.sbi.client.DeviceAnswerRejected;
import org.stationtrust.sbi.client.DeviceRegistry;
import org.stationtrust.sbi.client.Modality;
import org.stationtrust.sbi.client.SbiClient;
import org.stationtrust.sbi.client.UntrustedDevice;

/**
 * The devices the agent knows, from the last discovery. Each gets an agent id {@code <port>-<deviceId>},
 * unique on the station even when two services reuse the same SBI deviceId.
 */
public final class DeviceDirectory {
    private static final JsonLog LOG = new JsonLog(DeviceDirectory.class);
    private final SbiClient sbi;
    private volatile DeviceRegistry registry;

    public DeviceDirectory(SbiClient sbi) {
        this.sbi = sbi;
    }

    public static String agentId(Device device) {
        return device.port() + "-" + device.deviceId();
    }

    /** Runs discovery over the configured port range and remembers the result. */
    public DeviceRegistry rediscover() {
        DeviceRegistry found = sbi.discover();
        found.untrusted().forEach(u -> LOG.warn("device.untrusted", "port", u.port(), "deviceId", u.deviceId(),
                "reason", u.rejection().reason(), "detail", DeviceFailures.reasonText(u.rejection())));
        found.rejections().forEach((port, e) -> LOG.warn("device.rejected", "port", port, "reason", e.reason(),
                "detail", DeviceFailures.reasonText(e)));
        registry = found;
        return found;
    }

    /** The devices of the last discovery, without discovering again (empty before the first one ended). */
    public Optional<DeviceRegistry> lastKnown() {
        return Optional.ofNullable(registry);
    }

    public DeviceRegistry current() {
        DeviceRegistry r = registry;
        return r == null ? rediscover() : r;
    }

    public Optional<Device> byAgentId(String id) {
        Optional<Device> found = find(current(), id);
        return found.isPresent() ? found : find(rediscover(), id);
    }

    /** A trusted device for the modality and sub-device, rediscovering once when none is known. */
    public Optional<Device> forCapture(Modality modality, int deviceSubId) {
        Optional<Device> found = pick(current(), modality, deviceSubId);
        return found.isPresent() ? found : pick(rediscover(), modality, deviceSubId);
    }

    private static Optional<Device> find(DeviceRegistry registry, String id) {
        return registry.devices().stream().filter(d -> agentId(d).equals(id)).findFirst();
    }

    private static Optional<Device> pick(DeviceRegistry registry, Modality modality, int deviceSubId) {
        return registry.ofType(modality).stream().filter(Device::trusted)
                .filter(d -> d.deviceSubIds().contains(deviceSubId) || (deviceSubId == 0 && d.deviceSubIds().isEmpty()))
                .findFirst();
    }

    /** The device list as the local API shows it, with the reason for each port whose answer was rejected. */
    public static DevicesAnswer describe(DeviceRegistry registry) {
        List<DeviceView> out = new ArrayList<>();
        for (Device d : registry.devices()) {
            out.add(new DeviceView.Verified(agentId(d), d.port(), d.deviceId(), d.type().wireName(), d.subType(),
                    d.deviceSubIds(), d.status().wireName(), d.trusted(), d.make(), d.model(), d.serialNo(), d.provider(),
                    d.certification(), d.purpose()));
        }
        for (UntrustedDevice u : registry.untrusted()) {
            out.add(new DeviceView.Untrusted(u.port(), u.deviceId(), Redaction.scrub(u.status()), false,
                    u.rejection().reason().name(), DeviceFailures.reasonText(u.rejection())));
        }
        for (Map.Entry<Integer, DeviceAnswerRejected> e : registry.rejections().entrySet()) {
            out.add(new DeviceView.RejectedPort(e.getKey(), false, e.getValue().reason().name(),
                    DeviceFailures.reasonText(e.getValue())));
        }
        return new DevicesAnswer(out);
    }
}
