package org.stationtrust.server.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The load generator's HTTP/1.1 client: one blocking keep-alive connection per worker thread, requests written
 * in one buffer, answers read by Content-Length or chunked encoding. The JDK HttpClient hands every exchange
 * between the caller, its selector thread and completion stages; on a 2-core machine shared with the server that
 * costs the server cores it would otherwise use. Not thread-safe: one instance per worker.
 */
final class KeepAliveClient implements AutoCloseable {
    record Response(int status, String body) {
    }

    private final String host;
    private final int port;
    private Socket socket;
    private OutputStream out;
    private InputStream in;

    KeepAliveClient(String host, int port) {
        this.host = host;
        this.port = port;
    }

    Response send(String method, String path, String body, String signatureHeader) {
        byte[] payload = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder(512).append(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: ")
                .append(host).append(':').append(port).append("\r\n");
        if (signatureHeader != null) head.append("X-Station-Signature: ").append(signatureHeader).append("\r\n");
        if (body != null) head.append("Content-Type: application/json\r\n");
        head.append("Content-Length: ").append(payload.length).append("\r\n\r\n");
        byte[] h = head.toString().getBytes(StandardCharsets.US_ASCII);
        byte[] request = new byte[h.length + payload.length];
        System.arraycopy(h, 0, request, 0, h.length);
        System.arraycopy(payload, 0, request, h.length, payload.length);
        for (int attempt = 0; ; attempt++) {
            boolean reused = socket != null;
            try {
                connect();
                out.write(request);
                out.flush();
                return read();
            } catch (IOException e) {
                close();
                // A kept-alive connection the server closed meanwhile is retried once on a new one.
                if (!reused || attempt > 0) throw new IllegalStateException("HTTP exchange failed: " + e.getMessage(), e);
            }
        }
    }

    private void connect() throws IOException {
        if (socket != null) return;
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress(host, port), 10_000);
        socket.setSoTimeout(30_000);
        out = socket.getOutputStream();
        in = new BufferedInputStream(socket.getInputStream(), 8192);
    }

    private Response read() throws IOException {
        String status = line();
        if (!status.startsWith("HTTP/1.1 ") || status.length() < 12) throw new IOException("bad status line: " + status);
        int code = Integer.parseInt(status.substring(9, 12));
        long length = -1;
        boolean chunked = false;
        boolean close = false;
        for (String l = line(); !l.isEmpty(); l = line()) {
            int colon = l.indexOf(':');
            if (colon < 0) continue;
            String name = l.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = l.substring(colon + 1).trim();
            if (name.equals("content-length")) length = Long.parseLong(value);
            else if (name.equals("transfer-encoding")) chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
            else if (name.equals("connection")) close = value.equalsIgnoreCase("close");
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (chunked) {
            for (int size = Integer.parseInt(chunkSize(line()), 16); size > 0; size = Integer.parseInt(chunkSize(line()), 16)) {
                body.write(in.readNBytes(size));
                line();
            }
            while (!line().isEmpty()) {
                // trailers
            }
        } else if (length >= 0) {
            body.write(in.readNBytes((int) length));
        } else {
            body.write(in.readAllBytes());
            close = true;
        }
        if (close) close();
        return new Response(code, body.toString(StandardCharsets.UTF_8));
    }

    private static String chunkSize(String l) {
        int semi = l.indexOf(';');
        return (semi < 0 ? l : l.substring(0, semi)).trim();
    }

    private String line() throws IOException {
        StringBuilder b = new StringBuilder(64);
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) throw new IOException("connection closed by the server");
            if (c != '\r') b.append((char) c);
        }
        return b.toString();
    }

    @Override
    public void close() {
        if (socket == null) return;
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        socket = null;
    }
}
