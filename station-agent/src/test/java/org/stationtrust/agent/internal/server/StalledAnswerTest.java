package org.stationtrust.agent.internal.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.stationtrust.agent.internal.queue.Delivery;
import org.stationtrust.agent.internal.queue.OutboundItem;

/**
 * A server that sends its answer's headers and then stalls (a half-open connection looks the same): every call
 * to the server fails within its timeout instead of holding the caller forever, and closes the connection.
 */
class StalledAnswerTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(1);

    /** A real HTTP server on 127.0.0.1 that answers one request with headers and the first byte of the body, then stalls. */
    private static final class StallingServer implements AutoCloseable {
        private final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        /** Completes when the client closes the connection (the server reads end of stream). */
        private final CompletableFuture<Void> clientClosed = new CompletableFuture<>();

        StallingServer() throws IOException {
            Thread t = new Thread(this::serveOne, "stalling-server");
            t.setDaemon(true);
            t.start();
        }

        URI url() {
            return URI.create("http://127.0.0.1:" + socket.getLocalPort());
        }

        private void serveOne() {
            try (Socket s = socket.accept()) {
                InputStream in = s.getInputStream();
                readHeaders(in);
                s.getOutputStream().write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{")
                        .getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                // the request body, if any, then nothing more: wait for the client to give up
                while (in.read() >= 0) {
                    // drain
                }
                clientClosed.complete(null);
            } catch (IOException e) {
                clientClosed.complete(null);
            }
        }

        private static void readHeaders(InputStream in) throws IOException {
            int matched = 0;
            byte[] end = {'\r', '\n', '\r', '\n'};
            while (matched < 4) {
                int b = in.read();
                if (b < 0) throw new IOException("request ended early");
                matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    @Test
    void serverCallFailsWithinItsTimeoutWhenTheAnswerStallsAfterItsHeaders() throws Exception {
        try (StallingServer server = new StallingServer()) {
            ServerClient client = new ServerClient(ServerHttp.client(server.url(), List.of(), TIMEOUT), server.url(), TIMEOUT);
            long start = System.nanoTime();
            ServerUnreachable e = assertTimeoutPreemptively(Duration.ofSeconds(10),
                    () -> assertThrows(ServerUnreachable.class, () -> client.me(RequestSigning.NONE)));
            long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(took < 3000, "failed after " + took + " ms, the timeout is 1 s");
            assertTrue(e.getMessage().contains("did not complete its answer") && e.getMessage().contains("within 1 s"),
                    e.getMessage());
            server.clientClosed.get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void deliveryIsRetriedLaterWhenTheAnswerStallsAfterItsHeaders() throws Exception {
        try (StallingServer server = new StallingServer()) {
            HttpDelivery delivery = new HttpDelivery(ServerHttp.client(server.url(), List.of(), TIMEOUT), server.url(),
                    RequestSigning.NONE, TIMEOUT);
            OutboundItem item = new OutboundItem("packet:1", "packet", "/api/v1/packets",
                    "{}".getBytes(StandardCharsets.UTF_8), 0);
            Delivery.Outcome outcome = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> delivery.deliver(item));
            Delivery.RetryLater retry = assertInstanceOf(Delivery.RetryLater.class, outcome);
            assertTrue(retry.reason().contains("within 1 s"), retry.reason());
            server.clientClosed.get(5, TimeUnit.SECONDS);
            assertEquals(true, server.clientClosed.isDone());
        }
    }
}
