package org.stationtrust.sbi.client;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One SBI device found by discovery and described by its device info. {@code certificate} is present
 * only when the device info was signed and verified against the trust store; a device without it is
 * "Not Registered" and cannot capture.
 *
 * @param port          the 127.0.0.1 port of its service (from callbackId)
 * @param deviceSubIds  the sub-devices (1 left, 2 right, 3 thumbs/both, 0 single/face)
 * @param specVersions  spec versions supported; the first is the one the device uses
 */
public record Device(int port, String deviceId, List<Integer> deviceSubIds, DeviceStatus status,
                     String certification, String purpose, String serviceVersion, String deviceCode,
                     List<String> specVersions, String callbackId, String firmware, DigitalId digitalId,
                     Optional<X509Certificate> certificate) {
    public Device {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " out of range");
        }
        Objects.requireNonNull(deviceId, "deviceId");
        deviceSubIds = List.copyOf(deviceSubIds);
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(certification, "certification");
        Objects.requireNonNull(purpose, "purpose");
        Objects.requireNonNull(serviceVersion, "serviceVersion");
        Objects.requireNonNull(deviceCode, "deviceCode");
        specVersions = List.copyOf(specVersions);
        Objects.requireNonNull(callbackId, "callbackId");
        Objects.requireNonNull(firmware, "firmware");
        Objects.requireNonNull(digitalId, "digitalId");
        Objects.requireNonNull(certificate, "certificate");
        if (status != DeviceStatus.NOT_REGISTERED && certificate.isEmpty()) {
            throw new IllegalArgumentException("a device without a verified certificate must be Not Registered");
        }
    }

    public Modality type() {
        return digitalId.type();
    }

    public String subType() {
        return digitalId.deviceSubType();
    }

    public String serialNo() {
        return digitalId.serialNo();
    }

    public String make() {
        return digitalId.make();
    }

    public String model() {
        return digitalId.model();
    }

    public String provider() {
        return digitalId.deviceProvider();
    }

    /**
     * True when the device info was signed by a certificate chaining to the trust store and the device
     * does not call itself Not Registered.
     */
    public boolean trusted() {
        return certificate.isPresent() && status != DeviceStatus.NOT_REGISTERED;
    }

    /** The same device with a new status (after a device-info refresh). */
    public Device withStatus(DeviceStatus newStatus) {
        return new Device(port, deviceId, deviceSubIds, newStatus, certification, purpose, serviceVersion,
                deviceCode, specVersions, callbackId, firmware, digitalId, certificate);
    }

    @Override
    public String toString() {
        return "Device[port=" + port + ", deviceId=" + deviceId + ", " + digitalId.describe() + ", status="
                + status.wireName() + ", purpose=" + purpose + ", trusted=" + trusted() + "]";
    }
}
