package org.stationtrust.agent.internal.capture;

/** Where a signed packet goes to be delivered to the server: stored durably, or taken back when its capture is withdrawn. */
public interface PacketOutbox {
    /** Nothing is delivered (no server configured). */
    PacketOutbox NONE = new PacketOutbox() {
        @Override
        public void store(String packetId, String jws) {
        }

        @Override
        public void withdraw(String packetId) {
        }
    };

    /** Stores the packet durably (committed before this returns); throws when it cannot. */
    void store(String packetId, String jws);

    /** Takes a stored packet back (its capture could not be kept whole); best effort, throws when it cannot. */
    void withdraw(String packetId);
}
