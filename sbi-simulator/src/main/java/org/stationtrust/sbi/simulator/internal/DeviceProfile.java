package org.stationtrust.sbi.simulator.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Objects;
import org.stationtrust.sbi.simulator.DeviceKind;

/** The fixed identity of a simulated device: what its digitalId and discovery entry say. */
public record DeviceProfile(DeviceKind kind, String serialNo, String make, String model, String deviceProvider,
                            String deviceProviderId, String purpose, String certification, String firmware) {

    public DeviceProfile {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(serialNo, "serialNo");
    }

    /** {@code certification}: L0 (the device key signs the digitalId) or L1 (an FTM chip key signs it). */
    public static DeviceProfile of(DeviceKind kind, String serialNo, String purpose, String certification) {
        return new DeviceProfile(kind, serialNo, "StationTrust", kind.model(), "Station Trust Simulated Devices",
                "stationtrust.sim", purpose, certification, "SIM-FW-1.0.0");
    }

    /** The same kind of device from another vendor (for {@code FOREIGN_DIGITAL_ID}). */
    public DeviceProfile foreign() {
        return new DeviceProfile(kind, "FOREIGN-" + serialNo, "OtherMake", "OTHER-" + kind.model(),
                "Other Device Provider", "other.provider", purpose, certification, firmware);
    }

    /** SBI 0.9.5 §Digital Id: serialNo, make, model, type, deviceSubType, deviceProvider, deviceProviderId, dateTime. */
    public ObjectNode digitalId(Instant dateTime) {
        ObjectNode d = Wire.JSON.createObjectNode();
        d.put("serialNo", serialNo);
        d.put("make", make);
        d.put("model", model);
        d.put("type", kind.bioType());
        d.put("deviceSubType", kind.deviceSubType());
        d.put("deviceProvider", deviceProvider);
        d.put("deviceProviderId", deviceProviderId);
        d.put("dateTime", Wire.timestamp(dateTime));
        return d;
    }
}
