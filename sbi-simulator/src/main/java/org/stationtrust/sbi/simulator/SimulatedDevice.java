package org.stationtrust.sbi.simulator;

import java.net.URI;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Optional;
import org.stationtrust.sbi.simulator.internal.DeviceService;

/**
 * A running simulated SBI device on one port of 127.0.0.1. Obtained from
 * {@link SbiSimulator#start(SimulatorConfig)}; close it to free the port. Every setter has an
 * admin-endpoint equivalent (README.md) for devices running in another process.
 */
public final class SimulatedDevice implements AutoCloseable {
    private final DeviceService service;
    private final DeviceKind kind;

    SimulatedDevice(DeviceService service, DeviceKind kind) {
        this.service = service;
        this.kind = kind;
    }

    public DeviceKind kind() {
        return kind;
    }

    public int port() {
        return service.port();
    }

    /** The {@code callbackId} the device announces: {@code http://127.0.0.1:<port>/}. */
    public URI callbackUrl() {
        return URI.create(service.callbackId());
    }

    /** Base URL of the admin endpoint: {@code http://127.0.0.1:<port>/admin/} (README.md). */
    public URI adminUrl() {
        return callbackUrl().resolve("/admin/");
    }

    /** {@code deviceId} of the device (see {@link DeviceKind#deviceId()}). */
    public String deviceId() {
        return kind.deviceId();
    }

    /** serialNo of the digitalId, also sent as {@code deviceCode}. */
    public String serialNumber() {
        return service.profile().serialNo();
    }

    /** The device-provider CA whose certificate a client must trust. */
    public DeviceProviderCa ca() {
        return service.credentials().ca();
    }

    /** The CA certificate in PEM. */
    public String deviceProviderCaPem() {
        return ca().certificatePem();
    }

    /** Writes the CA certificate (PEM) to {@code file} and returns it. */
    public Path writeDeviceProviderCaPem(Path file) {
        return ca().writeCertificatePem(file);
    }

    /** {@code L0} (the device key signs the digitalId) or {@code L1} (an FTM chip key does). */
    public String certification() {
        return service.profile().certification();
    }

    /** The FTM-provider CA whose certificate a client must trust for this L1 device's chip; empty for L0. */
    public Optional<DeviceProviderCa> ftmCa() {
        return service.ftmCa();
    }

    /** The certificate the device currently signs with (the one in {@code x5c} when no fault applies). */
    public X509Certificate deviceCertificate() {
        return service.credentials().current().certificate();
    }

    /** Replaces the device key and certificate with new ones from the same CA; returns the new certificate. */
    public X509Certificate rotateKey() {
        return service.credentials().rotate().certificate();
    }

    public FaultMode fault() {
        return service.state().fault();
    }

    public void setFault(FaultMode fault) {
        service.state().setFault(fault);
    }

    public DeviceStatus status() {
        return service.state().status();
    }

    public void setStatus(DeviceStatus status) {
        service.state().setStatus(status);
    }

    /** false: nothing is on the sensor, so captures end with error 101 at their timeout. */
    public void setBiometricPresented(boolean presented) {
        service.state().setBiometricPresented(presented);
    }

    /** qualityScore of the next captures, 0-100. */
    public void setQuality(int quality) {
        service.state().setQuality(quality);
    }

    /** The certificate authentication CAPTURE encrypts to; null disables CAPTURE (error 108). */
    public void setEncryptionCertificate(X509Certificate certificate) {
        service.state().setEncryptionCertificate(certificate);
    }

    /** The state JSON the admin endpoint answers ({@code GET /admin/state}). */
    public String stateJson() {
        return service.admin().stateJson().toString();
    }

    /** Status Ready, fault NONE, configured quality, biometric presented. */
    public void reset() {
        service.reset();
    }

    @Override
    public void close() {
        service.close();
    }

    @Override
    public String toString() {
        return kind + "@" + callbackUrl() + " serial=" + serialNumber();
    }
}
