package org.stationtrust.ctk.internal.device;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Objects;

/**
 * The device under test as discovery described it: the reference every later answer must agree
 * with (deviceId, digitalId, deviceCode, certification).
 */
public record DeviceProfile(
        int port,
        String deviceId,
        List<String> deviceSubIds,
        String type,
        String subType,
        String purpose,
        String status,
        List<String> specVersions,
        JsonNode digitalId,
        String deviceCode,
        String certification,
        String serviceVersion) {

    public DeviceProfile {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(subType, "subType");
        deviceSubIds = List.copyOf(deviceSubIds);
        specVersions = List.copyOf(specVersions);
        purpose = purpose == null ? "" : purpose;
    }

    /** The deviceSubId that covers the whole device: both irises / left slap (3 or 1), otherwise 0. */
    public String ownSubId() {
        if ("Double".equals(subType)) {
            return "3";
        }
        if ("Slap".equals(subType)) {
            return "1";
        }
        return "0";
    }

    /** The spec version the device speaks first (used in requests). */
    public String specVersion() {
        return specVersions.isEmpty() ? "0.9.5" : specVersions.get(0);
    }

    public String describe() {
        return type + "/" + subType + " deviceId " + deviceId + " on port " + port
                + (purpose.isEmpty() ? "" : " (" + purpose + ")");
    }
}
