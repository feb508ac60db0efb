package org.stationtrust.tpm;

import org.stationtrust.tpm.internal.TpmChannel;

/** Test-only door to a connection's command channel (the benchmark replays raw command bytes on it). */
public final class TpmConnectionAccess {
    private TpmConnectionAccess() {
    }

    public static TpmChannel channel(TpmConnection connection) {
        return connection.channel();
    }

    /** A machine key object talking over any channel (the benchmark uses one that answers from a recording). */
    public static MachineKey machineKey(TpmChannel channel, MachineKey like) {
        return new MachineKey(channel, like.handle(), like.publicArea());
    }
}
