package org.stationtrust.sbi.client.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A tiny HTTP/1.1 server on 127.0.0.1 (free port) that accepts any verb and writes exactly the bytes a
 * test chooses, so that device quirks can be reproduced: stray bytes after the body, Connection: close,
 * dripping, silence, non-200 statuses. One connection per request.
 */
public final class RawHttpServer implements AutoCloseable {
    /** A request as received. */
    public record RawRequest(String verb, String path, byte[] body) {
        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** What to send back. */
    public record RawAnswer(byte[] bytes, long dripMillisPerByte, boolean neverAnswer) {
        public static RawAnswer json(int status, String json) {
            return raw(head(status, json.getBytes(StandardCharsets.UTF_8).length, "application/json") + json);
        }

        public static RawAnswer raw(String text) {
            return new RawAnswer(text.getBytes(StandardCharsets.UTF_8), 0, false);
        }

        public static RawAnswer bytes(byte[] bytes) {
            return new RawAnswer(bytes, 0, false);
        }

        public static RawAnswer silence() {
            return new RawAnswer(new byte[0], 0, true);
        }

        public RawAnswer drip(long millisPerByte) {
            return new RawAnswer(bytes, millisPerByte, false);
        }

        public static String head(int status, long length, String type) {
            return "HTTP/1.1 " + status + " X\r\nContent-Type: " + type + "\r\nContent-Length: " + length
                    + "\r\nConnection: close\r\n\r\n";
        }
    }

    /** Chooses the answer for a request. */
    @FunctionalInterface
    public interface Handler {
        RawAnswer answer(RawRequest request) throws Exception;
    }

    private final ServerSocket socket;
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "raw-http");
        t.setDaemon(true);
        return t;
    });
    private volatile Handler handler;
    private volatile boolean closed;

    public RawHttpServer(Handler handler) throws IOException {
        this(0, handler);
    }

    public RawHttpServer(int port, Handler handler) throws IOException {
        this.handler = handler;
        this.socket = new ServerSocket(port, 200, InetAddress.getByName("127.0.0.1"));
        pool.execute(this::acceptLoop);
    }

    public int port() {
        return socket.getLocalPort();
    }

    public void handler(Handler h) {
        this.handler = h;
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket s = socket.accept();
                pool.execute(() -> serve(s));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            s.setSoTimeout(30_000);
            RawRequest request = read(s.getInputStream());
            RawAnswer answer = handler.answer(request);
            if (answer.neverAnswer()) {
                while (!closed && s.getInputStream().read() != -1) {
                    // hold the connection open, answer nothing
                }
                return;
            }
            OutputStream out = s.getOutputStream();
            if (answer.dripMillisPerByte() > 0) {
                for (byte b : answer.bytes()) {
                    out.write(b);
                    out.flush();
                    Thread.sleep(answer.dripMillisPerByte());
                }
            } else {
                out.write(answer.bytes());
                out.flush();
            }
        } catch (Exception e) {
            // the client went away or the test ended; nothing to report
        }
    }

    private static RawRequest read(InputStream in) throws IOException {
        String requestLine = line(in);
        String[] parts = requestLine.split(" ");
        int length = 0;
        String header;
        while (!(header = line(in)).isEmpty()) {
            int colon = header.indexOf(':');
            if (colon > 0 && header.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals("content-length")) {
                length = Integer.parseInt(header.substring(colon + 1).trim());
            }
        }
        byte[] body = in.readNBytes(length);
        return new RawRequest(parts[0], parts.length > 1 ? parts[1] : "", body);
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            if (c != '\r') {
                b.write(c);
            }
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        closed = true;
        socket.close();
        pool.shutdownNow();
    }
}
