package org.stationtrust.sbi.client;

import java.util.List;

/**
 * What one port's MOSIPDINFO answer yielded: each listed device judged on its own, so one device whose
 * info fails verification does not hide the others of the same service.
 */
public record PortDevices(List<Device> devices, List<UntrustedDevice> untrusted) {
    public PortDevices {
        devices = List.copyOf(devices);
        untrusted = List.copyOf(untrusted);
    }
}
