package org.stationtrust.protocol;

/** The server's receipt of a delivered packet; {@code duplicate} when it already held the same packet. */
public record PacketReceipt(String packetId, boolean received, boolean duplicate, String sha256, String keyStatus) {
    public PacketReceipt {
        Fields.require("packetId", packetId);
    }
}
