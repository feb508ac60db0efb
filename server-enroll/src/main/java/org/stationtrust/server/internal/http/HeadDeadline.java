package org.stationtrust.server.internal.http;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.jetty.io.Connection;

/**
 * A deadline for each request head (request line and headers), which Jetty 12 does not have: its idle timeout is
 * renewed by every byte, so a client sending one header byte every 20 s held a connection for good. A connection
 * must complete its first head within the deadline of opening (TLS handshake included), and a later head within the
 * deadline of its first byte; otherwise it is closed. {@link #check} is called a few times a second; it reads the
 * counters Jetty keeps per HTTP connection (requests whose head was complete, answers sent, bytes read), so it costs
 * the requests nothing. Bodies have their own deadline (the request gate).
 */
public final class HeadDeadline implements Connection.Listener {
    private final long timeoutNanos;
    private final Map<Connection, Watch> open = new ConcurrentHashMap<>();
    private final LongAdder closed = new LongAdder();

    /** What the last check saw of one connection, and since when a head has been arriving (or -1). */
    private static final class Watch {
        final long openedNanos;
        long requests;
        long answers;
        long bytes;
        long headSinceNanos = -1;

        Watch(long openedNanos) {
            this.openedNanos = openedNanos;
        }
    }

    public HeadDeadline(Duration timeout) {
        this.timeoutNanos = timeout.toNanos();
    }

    @Override
    public void onOpened(Connection connection) {
        open.put(connection, new Watch(System.nanoTime()));
    }

    @Override
    public void onClosed(Connection connection) {
        open.remove(connection);
    }

    /** Closes the connections whose request head is late; returns how many. */
    public int check() {
        long now = System.nanoTime();
        int late = 0;
        for (Map.Entry<Connection, Watch> e : open.entrySet()) {
            Connection c = e.getKey();
            long requests = c.getMessagesIn();
            if (requests < 0) {
                // not an HTTP connection (the TLS layer below one): its HTTP connection is watched instead
                open.remove(c);
                continue;
            }
            if (overdue(e.getValue(), requests, c.getMessagesOut(), c.getBytesIn(), now)) {
                open.remove(c);
                closed.increment();
                late++;
                c.getEndPoint().close();
            }
        }
        return late;
    }

    private boolean overdue(Watch w, long requests, long answers, long bytes, long now) {
        if (requests == 0) return now - w.openedNanos > timeoutNanos;
        if (requests != w.requests || answers != w.answers || requests > answers) {
            // a head completed, an answer went out, or a request is in progress (its body is the gate's concern)
            w.requests = requests;
            w.answers = answers;
            w.bytes = bytes;
            w.headSinceNanos = -1;
            return false;
        }
        if (w.headSinceNanos < 0 && bytes != w.bytes) w.headSinceNanos = now;
        w.bytes = bytes;
        return w.headSinceNanos >= 0 && now - w.headSinceNanos > timeoutNanos;
    }

    /** Connections closed because a request head did not arrive in time. */
    public long closed() {
        return closed.sum();
    }
}
