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

    /** A page of receipts, newest first, and the cursor of the next page (null on the last). */
    public record Page(java.util.List<Receipt> rows, MachineSearch.Cursor next) {
        public Page {
            rows = java.util.List.copyOf(rows);
        }
    }

    /**
     * Up to {@code size} (1..1000) receipts of one machine after the cursor (null: from the newest), by keyset on
     * (received_at, packet_id): packets delivered while a client pages neither repeat nor push others out of its walk.
     */
    public Page page(String machineId, MachineSearch.Cursor after, int size) {
        int n = Math.max(1, Math.min(size, 1000));
        long key = MachineSearch.Cursor.timeKey(after);
        String id = after == null ? "" : after.id();
        java.util.List<Receipt> rows = db.withConnection(c -> Sql.query(c, "SELECT * FROM packet_receipts WHERE "
                + "machine_id = ? AND (received_at, packet_id) < (?, ?) ORDER BY received_at DESC, packet_id DESC LIMIT ?",
                PacketReceiptStore::receipt, machineId, key, id, n + 1));
        if (rows.size() <= n) return new Page(rows, null);
        Receipt last = rows.get(n - 1);
        return new Page(rows.subList(0, n), new MachineSearch.Cursor(Long.toString(last.receivedAt()), last.packetId()));
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
