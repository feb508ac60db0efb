package org.stationtrust.ctk.internal.device;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A deliberately small HTTP/1.1 client over a plain socket to 127.0.0.1. The harness needs what a
 * protocol client refuses to do: send malformed or oversized bodies and unknown verbs, see non-200
 * answers and stray bytes, and bound every read in time and size. One connection per exchange, as
 * SBI devices may close after each answer.
 */
public final class DeviceChannel {
    public static final int DEFAULT_MAX_ANSWER_BYTES = 8 * 1024 * 1024;
    private static final int MAX_HEADER_BYTES = 64 * 1024;

    private final int port;
    private final int maxAnswerBytes;
    private final Clock clock;

    /** {@code clock} dates every exchange (the harness's clock: the system UTC clock unless an embedder sets one). */
    public DeviceChannel(int port, int maxAnswerBytes, Clock clock) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1-65535, was " + port);
        }
        this.port = port;
        this.maxAnswerBytes = maxAnswerBytes;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public DeviceChannel(int port, Clock clock) {
        this(port, DEFAULT_MAX_ANSWER_BYTES, clock);
    }

    /** On the system UTC clock, the harness's default. */
    public DeviceChannel(int port) {
        this(port, Clock.systemUTC());
    }

    /** Starts timing an exchange made outside {@link #send} (a STREAM) on this channel's clock. */
    public ExchangeTimer startTimer() {
        return ExchangeTimer.start(clock);
    }

    public int port() {
        return port;
    }

    /** Sends {@code verb path} with a JSON body (may be empty) and waits at most {@code timeout} for the answer. */
    public Exchange send(String verb, String path, byte[] body, Duration timeout) {
        return exchange(verb, path, body, timeout, null);
    }

    /** Like {@link #send} but writes the request bytes given verbatim (a probe may break HTTP framing on purpose). */
    public Exchange sendRaw(String label, byte[] rawRequest, Duration timeout) {
        return exchange(label, "(raw)", rawRequest, timeout, rawRequest);
    }

    /** Sends only the first half of a request, then closes: the slow/abandoning client probe. */
    public Exchange abandonHalfway(String verb, String path, byte[] body, Duration pause) {
        ExchangeTimer timer = startTimer();
        byte[] request = requestBytes(verb, path, body);
        try (Socket socket = connect(Duration.ofSeconds(2))) {
            OutputStream out = socket.getOutputStream();
            out.write(request, 0, request.length / 2);
            out.flush();
            Thread.sleep(pause.toMillis());
        } catch (IOException e) {
            return unanswered(verb, path, body, timer, "could not connect: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return unanswered(verb, path, body, timer, "abandoned on purpose");
    }

    /** Opens a connection, sends the request and returns the socket positioned after the headers. */
    public OpenAnswer open(String verb, String path, byte[] body, Duration timeout) throws IOException {
        Socket socket = connect(timeout);
        try {
            socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
            OutputStream out = socket.getOutputStream();
            out.write(requestBytes(verb, path, body));
            out.flush();
            InputStream in = new BufferedInputStream(socket.getInputStream(), 8192);
            Head head = readHead(in);
            // A chunked STREAM body carries chunk-size lines between the multipart bytes: remove them
            // here so the preview reader sees the multipart body itself (RFC 9112 §7.1).
            InputStream answerBody = isChunked(head.headers) ? new ChunkedBody(in) : in;
            return new OpenAnswer(socket, answerBody, head.status, head.headers);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** A response whose body is still to be read (STREAM). Close it to end the stream. */
    public record OpenAnswer(Socket socket, InputStream body, int status, Map<String, String> headers)
            implements AutoCloseable {
        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    private Exchange exchange(String verb, String path, byte[] body, Duration timeout, byte[] raw) {
        ExchangeTimer timer = startTimer();
        long deadline = System.nanoTime() + timeout.toNanos();
        byte[] request = raw != null ? raw : requestBytes(verb, path, body);
        try (Socket socket = connect(timeout)) {
            socket.setSoTimeout(remainingMillis(deadline));
            OutputStream out = socket.getOutputStream();
            try {
                out.write(request);
                out.flush();
            } catch (IOException e) {
                // A device may refuse an oversized body mid-way and still answer: read what it said.
                socket.shutdownOutput();
            }
            InputStream in = new BufferedInputStream(new DeadlineInputStream(socket, deadline), 8192);
            Head head = readHead(in);
            timer.headersReceived();
            Body answer = readBody(in, head.headers);
            ExchangeTimes times = timer.end();
            return new Exchange(verb, path, body, head.status, head.headers, answer.bytes, answer.truncated,
                    timer.elapsedNanos(), null, times);
        } catch (SocketTimeoutException e) {
            return unanswered(verb, path, body, timer, "no complete answer within " + timeout.toMillis() + " ms");
        } catch (IOException | RuntimeException e) {
            return unanswered(verb, path, body, timer, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private static Exchange unanswered(String verb, String path, byte[] body, ExchangeTimer timer, String why) {
        ExchangeTimes times = timer.end();
        return new Exchange(verb, path, body, -1, null, null, false, timer.elapsedNanos(), why, times);
    }

    private Socket connect(Duration timeout) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port),
                (int) Math.min(Math.max(timeout.toMillis(), 1), 5000));
        socket.setTcpNoDelay(true);
        return socket;
    }

    private static int remainingMillis(long deadlineNanos) throws SocketTimeoutException {
        long left = (deadlineNanos - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
            throw new SocketTimeoutException("deadline passed");
        }
        return (int) Math.min(left, Integer.MAX_VALUE);
    }

    static byte[] requestBytes(String verb, String path, byte[] body) {
        byte[] payload = body == null ? new byte[0] : body;
        String head = verb + " " + path + " HTTP/1.1\r\n"
                + "Host: 127.0.0.1\r\n"
                + "Content-Type: application/json\r\n"
                + "Content-Length: " + payload.length + "\r\n"
                + "Connection: close\r\n\r\n";
        byte[] h = head.getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[h.length + payload.length];
        System.arraycopy(h, 0, all, 0, h.length);
        System.arraycopy(payload, 0, all, h.length, payload.length);
        return all;
    }

    private record Head(int status, Map<String, String> headers) {
    }

    private static Head readHead(InputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int lastFour = 0;
        while (lastFour != 0x0D0A0D0A) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed before the end of the HTTP headers ("
                        + buf.size() + " bytes received)");
            }
            buf.write(b);
            if (buf.size() > MAX_HEADER_BYTES) {
                throw new IOException("HTTP headers longer than " + MAX_HEADER_BYTES + " bytes");
            }
            lastFour = (lastFour << 8) | b;
        }
        String[] lines = buf.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        String[] statusLine = lines[0].split(" ", 3);
        if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/")) {
            throw new IOException("not an HTTP status line: " + abbreviate(lines[0]));
        }
        int status;
        try {
            status = Integer.parseInt(statusLine[1]);
        } catch (NumberFormatException e) {
            throw new IOException("HTTP status is not a number: " + abbreviate(lines[0]), e);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
            }
        }
        return new Head(status, headers);
    }

    private record Body(byte[] bytes, boolean truncated) {
    }

    private Body readBody(InputStream in, Map<String, String> headers) throws IOException {
        String length = headers.get("content-length");
        if (isChunked(headers)) {
            return readUpTo(new ChunkedBody(in), Long.MAX_VALUE);
        }
        if (length != null) {
            long n;
            try {
                n = Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                throw new IOException("Content-Length is not a number: " + abbreviate(length), e);
            }
            // Devices may send stray bytes after the body: read exactly Content-Length (docs/sbi-protocol.md).
            return readUpTo(in, n);
        }
        return readUpTo(in, Long.MAX_VALUE);
    }

    private static boolean isChunked(Map<String, String> headers) {
        return "chunked".equalsIgnoreCase(headers.get("transfer-encoding"));
    }

    private Body readUpTo(InputStream in, long n) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        long left = n;
        while (left > 0) {
            int r = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (r < 0) {
                break;
            }
            if (out.size() + r > maxAnswerBytes) {
                out.write(buf, 0, maxAnswerBytes - out.size());
                return new Body(out.toByteArray(), true);
            }
            out.write(buf, 0, r);
            left -= r;
        }
        return new Body(out.toByteArray(), false);
    }

    static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            if (b != '\r') {
                line.write(b);
            }
            if (line.size() > MAX_HEADER_BYTES) {
                throw new IOException("line longer than " + MAX_HEADER_BYTES + " bytes");
            }
        }
        if (b < 0 && line.size() == 0) {
            throw new IOException("connection closed");
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    private static String abbreviate(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }
}
