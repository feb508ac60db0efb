package org.stationtrust.server.internal.store;

import java.util.Optional;

/** Which capture packets a station delivered (id and digest), so a resend is recognised. No content is kept. */
public final class PacketReceiptStore {
    private final Database db;

    public PacketReceiptStore(Database db) {
        this.db = db;
    }

    public record Receipt(String machineId, String packetId, String sha256, String keyId, long receivedAt) {
    }

    /** Records a receipt; false when this machine already delivered a packet with this id. */
    public boolean record(String machineId, String packetId, String sha256, String keyId) {
        return db.write(c -> Sql.update(c, "INSERT INTO packet_receipts (machine_id, packet_id, sha256, key_id, received_at) "
                + "VALUES (?, ?, ?, ?, ?) ON CONFLICT (machine_id, packet_id) DO NOTHING", machineId, packetId, sha256, keyId,
                System.currentTimeMillis()) == 1);
    }

    /** The newest receipts of one machine first, at most {@code limit} (1..1000). */
    public java.util.List<Receipt> list(String machineId, int limit) {
        return db.withConnection(c -> Sql.query(c, "SELECT * FROM packet_receipts WHERE machine_id = ? "
                + "ORDER BY received_at DESC, packet_id LIMIT ?", PacketReceiptStore::receipt, machineId,
                Math.max(1, Math.min(limit, 1000))));
    }

    /** How many packets one machine delivered. */
    public long count(String machineId) {
        return db.withConnection(c -> Sql.one(c, "SELECT COUNT(*) AS n FROM packet_receipts WHERE machine_id = ?",
                rs -> rs.getLong("n"), machineId).orElse(0L));
    }

    private static Receipt receipt(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Receipt(rs.getString("machine_id"), rs.getString("packet_id"), rs.getString("sha256"),
                rs.getString("key_id"), rs.getLong("received_at"));
    }

    public Optional<Receipt> find(String machineId, String packetId) {
        return db.withConnection(c -> Sql.one(c, "SELECT * FROM packet_receipts WHERE machine_id = ? AND packet_id = ?",
                PacketReceiptStore::receipt, machineId, packetId));
    }
}
