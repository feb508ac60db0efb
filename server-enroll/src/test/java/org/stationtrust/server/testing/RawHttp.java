package org.stationtrust.server.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * HTTP/1.1 over a plain socket from a chosen loopback address (127.0.0.2, 127.0.0.3, ...: Linux routes all of
 * 127/8 to lo), so a test can play a hostile client on its own address, send bodies as slowly as it likes and
 * see exactly what the server answers. The JDK's HttpClient can neither choose its source address nor hold a
 * body back.
 */
public final class RawHttp {
    private RawHttp() {
    }

    /** An answer: status, the header block as sent, body as text. */
    public record Answer(int status, String headers, String body) {
        public String errorCode() {
            int i = body.indexOf("\"code\":\"");
            return i < 0 ? "" : body.substring(i + 8, body.indexOf('"', i + 8));
        }
    }

    public static Socket connect(String fromAddress, int port) throws IOException {
        Socket s = new Socket();
        s.bind(new InetSocketAddress(InetAddress.getByName(fromAddress), 0));
        s.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 5000);
        s.setSoTimeout(30_000);
        return s;
    }

    public static void write(Socket s, String text) throws IOException {
        s.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
        s.getOutputStream().flush();
    }

    /** A whole request on a new connection from {@code fromAddress}; the answer (connection closed after). */
    public static Answer exchange(String fromAddress, int port, String method, String path, String headers, String body)
            throws IOException {
        try (Socket s = connect(fromAddress, port)) {
            byte[] b = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            write(s, method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n" + headers
                    + (body == null ? "" : "Content-Length: " + b.length + "\r\n") + "\r\n");
            s.getOutputStream().write(b);
            s.getOutputStream().flush();
            return read(s.getInputStream());
        }
    }

    /** Reads one response (Content-Length or chunked framing). */
    public static Answer read(InputStream in) throws IOException {
        String head = readHead(in);
        if (head == null) throw new IOException("connection closed before an answer");
        int status = Integer.parseInt(head.substring(9, 12));
        String lower = head.toLowerCase(Locale.ROOT);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int cl = lower.indexOf("content-length:");
        if (cl >= 0) {
            int n = Integer.parseInt(lower.substring(cl + 15, lower.indexOf('\r', cl)).strip());
            body.write(in.readNBytes(n));
        } else if (lower.contains("transfer-encoding: chunked")) {
            while (true) {
                String size = readLine(in).strip();
                int n = Integer.parseInt(size.split(";")[0], 16);
                if (n == 0) {
                    readLine(in);
                    break;
                }
                body.write(in.readNBytes(n));
                readLine(in);
            }
        }
        return new Answer(status, head, body.toString(StandardCharsets.UTF_8));
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        while (true) {
            String line = readLine(in);
            if (line == null) return b.length() == 0 ? null : b.toString();
            if (line.isEmpty()) return b.toString();
            b.append(line).append("\r\n");
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') break;
            if (c != '\r') line.write(c);
        }
        if (c == -1 && line.size() == 0) return null;
        return line.toString(StandardCharsets.ISO_8859_1);
    }
}
