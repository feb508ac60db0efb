package org.stationtrust.server.internal.notify;

import java.util.Objects;

/**
 * Something an admin may want to be told about a machine. Created inside the transaction that made the change, so
 * the event exists exactly when the change committed. {@code detail} is operator text already in the audit log
 * (reasons, error codes): never a secret, key or biometric value.
 */
public record FleetEvent(String eventId, FleetEventType type, long occurredAtMillis, String machineId,
                         String machineName, String detail) {
    public FleetEvent {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(machineId, "machineId");
        detail = detail == null ? "" : detail.length() > 500 ? detail.substring(0, 500) : detail;
    }

    public static FleetEvent of(FleetEventType type, String machineId, String machineName, String detail) {
        return new FleetEvent(org.stationtrust.server.internal.auth.Secrets.newTimeOrderedId(), type,
                System.currentTimeMillis(), machineId, machineName, detail);
    }
}
