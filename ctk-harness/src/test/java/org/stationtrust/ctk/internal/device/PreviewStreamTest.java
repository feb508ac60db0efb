package org.stationtrust.ctk.internal.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The STREAM reader against a real socket server that frames its preview the ways devices do. */
class PreviewStreamTest {
    private static final int FRAMES = 8;

    /** A complete JPEG-shaped frame (SOI ... EOI) of {@code size} bytes. */
    private static byte[] jpeg(int size, int seed) {
        byte[] f = new byte[size];
        Arrays.fill(f, (byte) ('a' + seed % 26));
        f[0] = (byte) 0xFF;
        f[1] = (byte) 0xD8;
        // Line breaks and a near-boundary line inside the image: a reader by boundary must not cut there.
        byte[] decoy = "\r\n--frameX\r\n--fram\n".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(decoy, 0, f, size / 2, decoy.length);
        f[size - 2] = (byte) 0xFF;
        f[size - 1] = (byte) 0xD9;
        return f;
    }

    /** The multipart body of {@link #FRAMES} frames; each part with or without its Content-Length. */
    private static byte[] multipart(int frameSize, boolean contentLength) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (int i = 0; i < FRAMES; i++) {
            byte[] frame = jpeg(frameSize, i);
            String head = "--frame\r\nContent-Type: image/jpeg\r\n"
                    + (contentLength ? "Content-Length: " + frame.length + "\r\n" : "") + "\r\n";
            body.writeBytes(head.getBytes(StandardCharsets.US_ASCII));
            body.writeBytes(frame);
            body.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        body.writeBytes("--frame--\r\n".getBytes(StandardCharsets.US_ASCII));
        return body.toByteArray();
    }

    /**
     * Serves one STREAM answer: the body written in pieces of {@code piece} bytes, 10 ms apart (so a
     * chunk boundary falls inside frames and part headers), chunk-framed when {@code chunked}.
     */
    private static int serveStream(byte[] body, boolean chunked, int piece) throws IOException {
        return serveStream(body, chunked, piece, "multipart/x-mixed-replace; boundary=frame");
    }

    private static int serveStream(byte[] body, boolean chunked, int piece, String contentType) throws IOException {
        ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> {
            try (server; Socket s = server.accept()) {
                s.getInputStream().read(new byte[4096]);
                OutputStream out = s.getOutputStream();
                out.write(("HTTP/1.1 200 OK\r\nContent-Type: " + contentType + "\r\n"
                        + (chunked ? "Transfer-Encoding: chunked\r\n" : "") + "\r\n").getBytes(StandardCharsets.US_ASCII));
                for (int off = 0; off < body.length; off += piece) {
                    int n = Math.min(piece, body.length - off);
                    if (chunked) {
                        out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    }
                    out.write(body, off, n);
                    if (chunked) {
                        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                    }
                    out.flush();
                    Thread.sleep(10);
                }
                if (chunked) {
                    out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                }
                out.flush();
            } catch (IOException | InterruptedException e) {
                // The reader may close first.
            }
        });
        t.setDaemon(true);
        t.start();
        return server.getLocalPort();
    }

    private static PreviewStream readAll(int port) throws Exception {
        PreviewStream s = PreviewStream.open(new DeviceChannel(port), "{}".getBytes(StandardCharsets.UTF_8),
                Duration.ofSeconds(5));
        assertTrue(s.awaitEnd(Duration.ofSeconds(10)), "the stream ends after its closing boundary");
        return s;
    }

    @Test
    void readsEveryFrameOfAChunkedStreamWhoseFramesSpanManyChunks() throws Exception {
        int port = serveStream(multipart(20 * 1024, true), true, 4096);
        try (PreviewStream s = readAll(port)) {
            assertNull(s.problem());
            assertEquals(FRAMES, s.frames());
            assertEquals(FRAMES, s.validJpegFrames());
        }
    }

    @Test
    void readsEveryFrameOfAPlainStreamAsBefore() throws Exception {
        int port = serveStream(multipart(20 * 1024, true), false, 4096);
        try (PreviewStream s = readAll(port)) {
            assertEquals(FRAMES, s.frames());
            assertEquals(FRAMES, s.validJpegFrames());
        }
    }

    @Test
    void readsPartsWithoutContentLengthUpToTheNextBoundary() throws Exception {
        int port = serveStream(multipart(20 * 1024, false), false, 4096);
        try (PreviewStream s = readAll(port)) {
            assertNull(s.problem());
            assertEquals(FRAMES, s.frames());
            assertEquals(FRAMES, s.validJpegFrames());
        }
    }

    @Test
    void readsChunkedPartsWithoutContentLengthUpToTheNextBoundary() throws Exception {
        int port = serveStream(multipart(20 * 1024, false), true, 4096);
        try (PreviewStream s = readAll(port)) {
            assertNull(s.problem());
            assertEquals(FRAMES, s.frames());
            assertEquals(FRAMES, s.validJpegFrames());
        }
    }

    @Test
    void namesAPartWithoutContentLengthWhenTheContentTypeNamesNoBoundary() throws Exception {
        int port = serveStream(multipart(2048, false), false, 4096, "multipart/x-mixed-replace");
        try (PreviewStream s = readAll(port)) {
            assertEquals(0, s.frames());
            assertTrue(s.problem() != null && s.problem().contains("names no boundary"), s.problem());
        }
    }
}
