package org.stationtrust.agent.internal.service;

import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.stationtrust.agent.internal.audit.AuditLog;
import org.stationtrust.agent.internal.capture.PacketOutbox;
import org.stationtrust.agent.internal.queue.OutboundQueue;
import org.stationtrust.logging.JsonLog;
import org.stationtrust.protocol.PacketDelivery;
import org.stationtrust.protocol.StationRoute;
import org.stationtrust.protocol.WireJson;

/**
 * Capture packets in the offline queue, bound for {@code POST /api/v1/packets}. A packet's row is keyed by its
 * packet id, so a capture withdrawn after its packet was queued (its audit record could not be synced) takes the
 * row back, and at start a packet whose {@code capture.completed} record is not in the audit log (a power cut
 * between the two syncs; its capture was never answered) is removed before anything is delivered.
 */
final class QueuedPackets implements PacketOutbox {
    static final String PATH = StationRoute.PACKETS.path();
    static final String KEY_PREFIX = "packet:";
    private static final JsonLog LOG = new JsonLog(QueuedPackets.class);
    private final OutboundQueue queue;

    QueuedPackets(OutboundQueue queue) {
        this.queue = queue;
    }

    @Override
    public void store(String packetId, String jws) {
        queue.enqueue("packet", PATH, body(packetId, jws), KEY_PREFIX + packetId);
    }

    @Override
    public void withdraw(String packetId) {
        queue.discard(KEY_PREFIX + packetId);
    }

    static byte[] body(String packetId, String jws) {
        try {
            return WireJson.strict().writeValueAsBytes(new PacketDelivery(packetId, jws));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write a packet delivery", e);
        }
    }

    /** Removes queued packets whose capture has no {@code capture.completed} record; returns how many. */
    static int discardOrphans(OutboundQueue queue, AuditLog audit) throws IOException {
        List<String> keys = queue.keysStartingWith(KEY_PREFIX);
        if (keys.isEmpty()) return 0;
        Set<String> waiting = new HashSet<>();
        for (String key : keys) waiting.add(key.substring(KEY_PREFIX.length()));
        waiting.removeAll(audit.completedCaptures(waiting));
        for (String packetId : waiting) {
            queue.discard(KEY_PREFIX + packetId);
            audit.append("capture.orphan_discarded", Map.of("packetId", packetId,
                    "reason", "queued packet without its capture.completed record (interrupted capture, never answered)"));
            LOG.warn("capture.orphan_discarded", "packetId", packetId);
        }
        return waiting.size();
    }
}
