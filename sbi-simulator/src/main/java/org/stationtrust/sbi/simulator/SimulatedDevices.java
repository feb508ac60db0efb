package org.stationtrust.sbi.simulator;

import com.sun.net.httpserver.HttpServer;
import java.util.ArrayList;
import java.util.List;
import org.stationtrust.sbi.simulator.internal.DeviceService;

/**
 * Several simulated devices sharing one device-provider CA, on consecutive free ports (finger slap,
 * iris double, face by default), like a station with three devices plugged in.
 */
public final class SimulatedDevices implements AutoCloseable {
    private final List<SimulatedDevice> devices;
    private final DeviceProviderCa ca;

    private SimulatedDevices(List<SimulatedDevice> devices, DeviceProviderCa ca) {
        this.devices = List.copyOf(devices);
        this.ca = ca;
    }

    /** Finger slap, iris double and face on consecutive ports of the template's range. */
    public static SimulatedDevices start(SimulatorConfig template) {
        return start(template, List.of(DeviceKind.FINGER_SLAP, DeviceKind.IRIS_DOUBLE, DeviceKind.FACE));
    }

    /**
     * The given kinds on consecutive free ports of {@code template}'s port range (or on any free
     * ports when the template says any free port). All other settings come from the template.
     */
    public static SimulatedDevices start(SimulatorConfig template, List<DeviceKind> kinds) {
        if (kinds.isEmpty()) {
            throw new IllegalArgumentException("kinds must name at least one device");
        }
        if (template.deviceKey().isPresent() && kinds.size() > 1) {
            throw new IllegalArgumentException("A device key belongs to one device; start one kind with it, not "
                    + kinds.size());
        }
        DeviceProviderCa ca = template.ca().orElseGet(() -> DeviceProviderCa.generate("Simulated Device Provider CA"));
        List<HttpServer> servers = bindConsecutive(template, kinds.size());
        List<SimulatedDevice> started = new ArrayList<>();
        for (int i = 0; i < kinds.size(); i++) {
            SimulatorConfig c = template.toBuilder().kind(kinds.get(i)).ca(ca)
                    .serialNumber(kinds.size() == 1 ? template.serialNumber().orElse(null) : null).build();
            started.add(new SimulatedDevice(DeviceService.start(c, ca, servers.get(i)), kinds.get(i)));
        }
        return new SimulatedDevices(started, ca);
    }

    public List<SimulatedDevice> all() {
        return devices;
    }

    /** The first device of that kind. */
    public SimulatedDevice device(DeviceKind kind) {
        return devices.stream().filter(d -> d.kind() == kind).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No " + kind + " device was started"));
    }

    public DeviceProviderCa ca() {
        return ca;
    }

    @Override
    public void close() {
        devices.forEach(SimulatedDevice::close);
    }

    private static List<HttpServer> bindConsecutive(SimulatorConfig template, int n) {
        List<HttpServer> servers = new ArrayList<>();
        if (template.portFrom() == 0) {
            for (int i = 0; i < n; i++) {
                servers.add(DeviceService.bind(0, 0));
            }
            return servers;
        }
        for (int base = template.portFrom(); base + n - 1 <= template.portTo(); base++) {
            servers.clear();
            try {
                for (int i = 0; i < n; i++) {
                    servers.add(DeviceService.bind(base + i, base + i));
                }
                return servers;
            } catch (SimulatorException taken) {
                servers.forEach(s -> s.stop(0));
            }
        }
        throw new SimulatorException("No " + n + " consecutive free ports on 127.0.0.1 in "
                + template.portFrom() + "-" + template.portTo() + "; free some ports or choose another range");
    }
}
