package org.stationtrust.ctk.internal.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The raw channel against a real socket server that answers in awkward but deployed ways. */
class DeviceChannelTest {

    /** Accepts one connection on a free loopback port and lets {@code answer} write to it. */
    private static int serveOnce(Consumer<OutputStream> answer) throws IOException {
        ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> {
            try (server; Socket s = server.accept()) {
                InputStream in = s.getInputStream();
                byte[] buf = new byte[4096];
                in.read(buf);
                answer.accept(s.getOutputStream());
            } catch (IOException e) {
                // The client may close first: that is part of some tests.
            }
        });
        t.setDaemon(true);
        t.start();
        return server.getLocalPort();
    }

    private static void write(OutputStream out, String s) {
        try {
            out.write(s.getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void readsExactlyContentLengthAndIgnoresStrayBytesAfterTheBody() throws Exception {
        int port = serveOnce(out -> write(out, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n[]garbage"));
        Exchange e = new DeviceChannel(port).send("MOSIPDISC", "/device", new byte[0], Duration.ofSeconds(2));
        assertEquals(200, e.status());
        assertEquals("[]", e.responseText());
    }

    @Test
    void readsAChunkedAnswer() throws Exception {
        int port = serveOnce(out -> write(out, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\n[{}\r\n1\r\n]\r\n0\r\n\r\n"));
        assertEquals("[{}]", new DeviceChannel(port).send("MOSIPDINFO", "/info", null, Duration.ofSeconds(2)).responseText());
    }

    @Test
    void givesUpOnADeviceThatDripsItsAnswerPastTheDeadline() throws Exception {
        int port = serveOnce(out -> {
            for (char c : "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n".toCharArray()) {
                write(out, String.valueOf(c));
                try {
                    Thread.sleep(40);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        long start = System.nanoTime();
        Exchange e = new DeviceChannel(port).send("MOSIPDINFO", "/info", null, Duration.ofMillis(500));
        assertFalse(e.answered());
        assertTrue(e.transportError().contains("within 500 ms"), e.transportError());
        assertTrue((System.nanoTime() - start) / 1_000_000 < 1500, "the deadline bounds the whole answer");
    }

    @Test
    void capsAnOversizedAnswerAndSaysSo() throws Exception {
        int port = serveOnce(out -> {
            write(out, "HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n");
            write(out, "x".repeat(100_000));
        });
        Exchange e = new DeviceChannel(port, 1024, java.time.Clock.systemUTC()).send("RCAPTURE", "/capture", "{}".getBytes(), Duration.ofSeconds(2));
        assertTrue(e.truncated());
        assertEquals(1024, e.responseBody().length);
    }

    @Test
    void reportsAConnectionClosedBeforeAnyStatusLine() throws Exception {
        int port = serveOnce(out -> { });
        Exchange e = new DeviceChannel(port).send("RCAPTURE", "/capture", "{".getBytes(), Duration.ofSeconds(2));
        assertFalse(e.answered());
        assertTrue(e.transportError().contains("closed"), e.transportError());
    }
}
