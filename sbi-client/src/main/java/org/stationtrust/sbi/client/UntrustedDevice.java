package org.stationtrust.sbi.client;

import java.util.Objects;

/**
 * A device that a service listed but whose device info did not verify. It is shown to the operator with
 * its reason and never used for captures: it carries no {@link Device}, so nothing can capture with it.
 *
 * @param port      the port of the service that listed it
 * @param deviceId  the deviceId as the (unverified) answer named it, or {@code "entry N"} when even that
 *                  could not be read; a label for the operator, not an identity
 * @param rejection why its device info was not trusted
 */
public record UntrustedDevice(int port, String deviceId, DeviceAnswerRejected rejection) {
    public UntrustedDevice {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(rejection, "rejection");
    }

    /** The registry's status text: {@code untrusted: <REASON> (<what was seen>)}. */
    public String status() {
        return "untrusted: " + rejection.reason() + " (" + rejection.detail() + ")";
    }

    @Override
    public String toString() {
        return "UntrustedDevice[port=" + port + ", deviceId=" + deviceId + ", " + status() + "]";
    }
}
