package org.stationtrust.sbi.simulator;

import org.stationtrust.sbi.simulator.internal.DeviceService;

/**
 * Entry point of the reference SBI 0.9.5 device service.
 *
 * <pre>{@code
 * try (SimulatedDevice slap = SbiSimulator.start(SimulatorConfig.builder(DeviceKind.FINGER_SLAP).anyFreePort().build())) {
 *     slap.callbackUrl();            // http://127.0.0.1:<port>/
 *     slap.deviceProviderCaPem();    // trust this
 *     slap.setFault(FaultMode.ALG_NONE);
 * }
 * }</pre>
 */
public final class SbiSimulator {
    private SbiSimulator() {
    }

    /** Starts one device; generates a device-provider CA when the configuration carries none. */
    public static SimulatedDevice start(SimulatorConfig config) {
        DeviceProviderCa ca = config.ca().orElseGet(() -> DeviceProviderCa.generate("Simulated Device Provider CA"));
        DeviceService service = DeviceService.start(config, ca, DeviceService.bind(config.portFrom(), config.portTo()));
        return new SimulatedDevice(service, config.kind());
    }
}
