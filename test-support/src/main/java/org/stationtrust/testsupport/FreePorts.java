package org.stationtrust.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Free TCP ports on the loopback address, for a test that must name a port before something listens on it. */
public final class FreePorts {
    private FreePorts() {
    }

    /**
     * A port nothing listens on right now: the operating system's choice for a socket bound and closed at once. Another
     * process may take it before the test does; tests that start a server on it start it straight away.
     */
    public static int loopback() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free TCP port on 127.0.0.1", e);
        }
    }
}
