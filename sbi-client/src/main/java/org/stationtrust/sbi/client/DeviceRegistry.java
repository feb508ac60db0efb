package org.stationtrust.sbi.client;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The result of one discovery: devices that answered (trusted or Not Registered), devices listed by a
 * service whose device info did not verify (each with its reason, never used for captures) and, per port,
 * why an answering service was not accepted at all. Ports where nothing listens are not recorded.
 */
public final class DeviceRegistry {
    private final List<Device> devices;
    private final List<UntrustedDevice> untrusted;
    private final Map<Integer, DeviceAnswerRejected> rejections;

    public DeviceRegistry(List<Device> devices, Map<Integer, DeviceAnswerRejected> rejections) {
        this(devices, List.of(), rejections);
    }

    public DeviceRegistry(List<Device> devices, List<UntrustedDevice> untrusted,
                          Map<Integer, DeviceAnswerRejected> rejections) {
        this.devices = devices.stream()
                .sorted(Comparator.comparingInt(Device::port).thenComparing(Device::deviceId)).toList();
        this.untrusted = untrusted.stream()
                .sorted(Comparator.comparingInt(UntrustedDevice::port).thenComparing(UntrustedDevice::deviceId)).toList();
        this.rejections = java.util.Collections.unmodifiableMap(new TreeMap<>(rejections));
    }

    /** Every device found, trusted or not, ordered by port. */
    public List<Device> devices() {
        return devices;
    }

    /** Devices whose device info verified against the trust store. */
    public List<Device> trusted() {
        return devices.stream().filter(Device::trusted).toList();
    }

    /** Trusted devices of one modality. */
    public List<Device> ofType(Modality type) {
        return trusted().stream().filter(d -> d.type() == type).toList();
    }

    /** The first trusted device of a modality, if any. */
    public Optional<Device> first(Modality type) {
        return ofType(type).stream().findFirst();
    }

    /** Devices listed by a service whose device info did not verify, each with its reason. */
    public List<UntrustedDevice> untrusted() {
        return untrusted;
    }

    /** Why services on some ports were not accepted (not an SBI service, untrusted, timeout...). */
    public Map<Integer, DeviceAnswerRejected> rejections() {
        return rejections;
    }

    @Override
    public String toString() {
        return "DeviceRegistry[devices=" + devices + ", untrusted=" + untrusted + ", rejectedPorts=" + rejections.keySet() + "]";
    }
}
