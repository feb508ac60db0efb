package org.stationtrust.sbi.client.testing;

import java.time.Duration;
import java.util.List;
import org.stationtrust.sbi.client.Device;
import org.stationtrust.sbi.client.DeviceRegistry;
import org.stationtrust.sbi.client.DeviceTrustStore;
import org.stationtrust.sbi.client.SbiClient;
import org.stationtrust.sbi.client.SbiClientConfig;
import org.stationtrust.sbi.simulator.DeviceKind;
import org.stationtrust.sbi.simulator.DeviceProviderCa;
import org.stationtrust.sbi.simulator.SimulatedDevice;
import org.stationtrust.sbi.simulator.SimulatedDevices;
import org.stationtrust.sbi.simulator.SimulatorConfig;

/**
 * The one place where tests start sbi-simulator devices: finger slap, iris double and face on the
 * first free ports of 4501-4600, with one generated device-provider CA that the client trusts.
 */
public final class SimulatorRig implements AutoCloseable {
    public static final int FIRST = SimulatorConfig.SBI_FIRST_PORT;
    public static final int LAST = SimulatorConfig.SBI_LAST_PORT;

    public final SimulatedDevices devices;
    public final SbiClient client;

    private SimulatorRig(SimulatedDevices devices, SbiClient client) {
        this.devices = devices;
        this.client = client;
    }

    /** Three devices in the SBI range and a client scanning the whole range. */
    public static SimulatorRig start() {
        return start(DeviceProviderCa.generate("Simulated Provider CA"));
    }

    public static SimulatorRig start(DeviceProviderCa ca) {
        SimulatedDevices devices = SimulatedDevices.start(SimulatorConfig.builder(DeviceKind.FINGER_SLAP)
                .firstFreePortIn(FIRST, LAST).ca(ca).build());
        return new SimulatorRig(devices, new SbiClient(config(ca).build()));
    }

    /** A client configuration trusting {@code ca}, scanning 4501-4600 with short deadlines. */
    public static SbiClientConfig.Builder config(DeviceProviderCa ca) {
        return config(DeviceTrustStore.of(List.of(ca.certificate())));
    }

    /** A client configuration trusting {@code trust} (e.g. with FTM-provider CAs), scanning 4501-4600 with short deadlines. */
    public static SbiClientConfig.Builder config(DeviceTrustStore trust) {
        return SbiClientConfig.builder(trust)
                .ports(FIRST, LAST)
                .discoveryDeadline(Duration.ofMillis(1500))
                .captureMargin(Duration.ofSeconds(1));
    }

    public SimulatedDevice simulated(DeviceKind kind) {
        return devices.device(kind);
    }

    /** The client's view of a simulated device, found by probing its port. */
    public Device device(DeviceKind kind) throws Exception {
        return client.probe(simulated(kind).port()).get(0);
    }

    public DeviceRegistry discover() {
        return client.discover();
    }

    @Override
    public void close() {
        client.close();
        devices.close();
    }
}
