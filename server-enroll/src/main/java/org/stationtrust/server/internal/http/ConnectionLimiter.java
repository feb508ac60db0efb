package org.stationtrust.server.internal.http;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.stationtrust.logging.JsonLog;

/**
 * Caps the connections one remote address holds open: a connection beyond the cap is closed as soon as it opens,
 * before its TLS handshake or its first byte is read, so one client cannot hold every connection slot (or make the
 * server run hundreds of handshakes). Counts network connections only (under TLS Jetty opens a second, decrypted
 * connection on the same socket, which is not counted again).
 */
public final class ConnectionLimiter implements Connection.Listener {
    private static final JsonLog LOG = new JsonLog(ConnectionLimiter.class);
    private final int perClient;
    private final ConcurrentHashMap<String, Integer> open = new ConcurrentHashMap<>();
    private final LongAdder refused = new LongAdder();

    public ConnectionLimiter(int perClient) {
        this.perClient = perClient;
    }

    @Override
    public void onOpened(Connection connection) {
        String client = client(connection);
        if (client == null) return;
        int n = open.merge(client, 1, Integer::sum);
        if (n > perClient) {
            refused.increment();
            if (refused.sum() % 1000 == 1) {
                LOG.warn("connection_limit", "client", client, "limit", perClient, "refusedSoFar", refused.sum());
            }
            connection.getEndPoint().close();
        }
    }

    @Override
    public void onClosed(Connection connection) {
        String client = client(connection);
        if (client == null) return;
        open.computeIfPresent(client, (k, count) -> count <= 1 ? null : count - 1);
    }

    /** Connections closed at once because their address already held its share. */
    public long refused() {
        return refused.sum();
    }

    private static String client(Connection connection) {
        if (!(connection.getEndPoint() instanceof SocketChannelEndPoint)) return null;
        SocketAddress remote = connection.getEndPoint().getRemoteSocketAddress();
        return remote instanceof InetSocketAddress inet && inet.getAddress() != null
                ? ClientAddress.limitKey(inet.getAddress().getHostAddress()) : null;
    }
}
