package org.stationtrust.tpm.simulator;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Free TCP port pairs on 127.0.0.1: swtpm's command port and, next to it, its control port. */
final class LoopbackPorts {
    private LoopbackPorts() {
    }

    static int freePair() {
        for (int i = 0; i < 50; i++) {
            try (ServerSocket first = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                int candidate = first.getLocalPort();
                if (candidate < 65535 && free(candidate + 1)) {
                    return candidate;
                }
            } catch (IOException e) {
                // try another one
            }
        }
        throw new SoftwareTpmException("found no two free consecutive TCP ports on 127.0.0.1");
    }

    static boolean pairFree(int candidate) {
        return free(candidate) && free(candidate + 1);
    }

    private static boolean free(int candidate) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), candidate), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
