package org.stationtrust.agent.internal.api;

import java.util.List;

/** One entry of {@code GET /v1/devices}: a verified device, a listed device whose info did not verify, or a rejected port. */
public sealed interface DeviceView {

    /** A device whose discovery and info verified; {@code id} is what a capture order names. */
    record Verified(String id, int port, String deviceId, String type, String subType, List<Integer> deviceSubIds,
                    String status, boolean trusted, String make, String model, String serialNo, String provider,
                    String certification, String purpose) implements DeviceView {
    }

    /** A device listed by discovery whose info did not verify: never used for captures, so it has no {@code id}. */
    record Untrusted(int port, String deviceId, String status, boolean trusted, String rejected, String reason)
            implements DeviceView {
    }

    /** A port whose answer was rejected. */
    record RejectedPort(int port, boolean trusted, String rejected, String reason) implements DeviceView {
    }
}
