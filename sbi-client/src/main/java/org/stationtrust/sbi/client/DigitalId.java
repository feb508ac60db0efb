package org.stationtrust.sbi.client;

import java.util.Objects;

/**
 * The identity a device claims (SBI 0.9.5 digitalId). Two digitalIds describe the same device when
 * every field except {@code dateTime} is equal.
 */
public record DigitalId(String serialNo, String make, String model, Modality type, String deviceSubType,
                        String deviceProvider, String deviceProviderId, String dateTime) {
    public DigitalId {
        Objects.requireNonNull(serialNo, "serialNo");
        Objects.requireNonNull(make, "make");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(deviceSubType, "deviceSubType");
        Objects.requireNonNull(deviceProvider, "deviceProvider");
        Objects.requireNonNull(deviceProviderId, "deviceProviderId");
        Objects.requireNonNull(dateTime, "dateTime");
        if (serialNo.isBlank()) {
            throw new IllegalArgumentException("digitalId serialNo is blank");
        }
    }

    /** True when both describe the same physical device (dateTime is ignored). */
    public boolean sameDeviceAs(DigitalId other) {
        return serialNo.equals(other.serialNo) && make.equals(other.make) && model.equals(other.model)
                && type == other.type && deviceSubType.equalsIgnoreCase(other.deviceSubType)
                && deviceProvider.equals(other.deviceProvider) && deviceProviderId.equals(other.deviceProviderId);
    }

    /** Short description for messages and logs. */
    public String describe() {
        return deviceProvider + " " + make + " " + model + " serial " + serialNo + " (" + type.wireName() + " "
                + deviceSubType + ")";
    }
}
