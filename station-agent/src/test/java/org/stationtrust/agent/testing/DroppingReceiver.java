package org.stationtrust.agent.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP receiver on 127.0.0.1 that behaves like a server which dedupes by Idempotency-Key, and
 * that can "lose" its reply: it records the message, then closes the connection without answering.
 */
public final class DroppingReceiver implements AutoCloseable {
    /** One request as received. */
    public record Received(String idempotencyKey, String path, String body) {
    }

    private final ServerSocket socket;
    private final Thread thread;
    private final List<Received> received = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, String> accepted = Collections.synchronizedMap(new LinkedHashMap<>());
    private final AtomicInteger repliesToDrop = new AtomicInteger();
    private volatile String dropPrefix = "/";
    private volatile int status = 200;

    public DroppingReceiver() throws IOException {
        socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        thread = new Thread(this::serve, "dropping-receiver");
        thread.setDaemon(true);
        thread.start();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + socket.getLocalPort();
    }

    /** The next {@code n} requests are recorded (and accepted) but get no reply. */
    public void dropNextReplies(int n) {
        dropNextReplies(n, "/");
    }

    /** Only requests whose path starts with {@code prefix} lose their reply. */
    public void dropNextReplies(int n, String prefix) {
        dropPrefix = prefix;
        repliesToDrop.set(n);
    }

    /** Answer every request with this status without accepting it (e.g. 503 = server down). */
    public void answerWith(int status) {
        this.status = status;
    }

    /** Requests received on paths starting with {@code prefix}. */
    public List<Received> received(String prefix) {
        return received().stream().filter(r -> r.path().startsWith(prefix)).toList();
    }

    public List<Received> received() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    /** Messages accepted once each, keyed by idempotency key (what the server stores). */
    public Map<String, String> accepted() {
        synchronized (accepted) {
            return Map.copyOf(accepted);
        }
    }

    private void serve() {
        while (!socket.isClosed()) {
            try (Socket client = socket.accept()) {
                handle(client);
            } catch (IOException e) {
                // closed socket or a client gone: keep serving until close()
            }
        }
    }

    private void handle(Socket client) throws IOException {
        InputStream in = client.getInputStream();
        String head = readHead(in);
        String[] lines = head.split("\r\n");
        String path = lines[0].split(" ")[1];
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
        }
        int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
        String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
        String key = headers.get("idempotency-key");
        received.add(new Received(key, path, body));
        int answer = status;
        if (answer / 100 == 2 && key != null) accepted.putIfAbsent(key, body);
        if (path.startsWith(dropPrefix) && repliesToDrop.getAndUpdate(n -> Math.max(0, n - 1)) > 0) return; // lost reply
        OutputStream out = client.getOutputStream();
        out.write(("HTTP/1.1 " + answer + " X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < 4) {
            int b = in.read();
            if (b < 0) throw new IOException("client closed");
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
            if (head.size() > 16 * 1024) throw new IOException("head too large");
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
