package org.stationtrust.agent.internal.api;

import java.util.List;

/** {@code GET /v1/devices}. */
public record DevicesAnswer(List<DeviceView> devices) {
    public DevicesAnswer {
        devices = List.copyOf(devices);
    }
}
