package org.stationtrust.protocol;

/**
 * The server's answer to a {@link StationAuditBatch}: events stored now, and resends it recognised (same id, same
 * content) and acknowledged again. 201 when any was new, 200 when all were resends.
 */
public record StationAuditReceipt(int received, int duplicates) {
    public StationAuditReceipt {
        if (received < 0 || duplicates < 0) throw new IllegalArgumentException("counts must not be negative");
    }
}
