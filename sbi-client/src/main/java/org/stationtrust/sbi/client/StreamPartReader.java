package org.stationtrust.sbi.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads the parts of an SBI STREAM body ({@code multipart/x-mixed-replace}, docs/sbi-protocol.md "STREAM"),
 * the one reader the station ({@link JpegFrameStream}) and the CTK share. Deployed services delimit parts
 * loosely, so a part is read by its Content-Length header and any line before it that is not a header is
 * taken as a boundary line (with or without the leading dashes). A part without Content-Length (RFC 2046
 * §5.1.1 does not require one) runs to the next line that is the boundary the Content-Type names, with or
 * without its dashes and white space after it; the CRLF before that line belongs to the boundary. The
 * closing boundary ({@code --boundary--}) ends the stream.
 *
 * <p>Each part is at most the cap given; what it holds is the caller's to judge (the station refuses a part
 * that is not a JPEG, the CTK counts it). Refusals: {@link RejectionReason#ANSWER_TOO_LARGE} for a part over
 * the cap, {@link RejectionReason#MALFORMED_ANSWER} for broken framing; each detail says what was wrong.
 * Bytes after the closing boundary, or after the last complete part when they do not form one, end the stream
 * without a refusal: the parts before them are complete, and {@link #trailingBytes()} reports them as a
 * defect. Reads the stream it is given only; not thread-safe.
 */
public final class StreamPartReader {
    private static final int MAX_LINE = 8 * 1024;
    private static final int MAX_LINES_PER_PART = 64;
    /** Transport padding allowed after a boundary on its line (RFC 2046 §5.1.1), and its closing dashes. */
    private static final int MAX_BOUNDARY_TAIL = 256;
    /** readPartHeaders: the part has no Content-Length and runs until the next boundary line. */
    private static final long UNTIL_BOUNDARY = -2;

    private final InputStream in;
    private final int maxPartBytes;
    /** The boundary the Content-Type names, without leading dashes; null when it names none. */
    private final byte[] boundary;
    private long bytesSincePart;
    private boolean lastLineUnterminated;
    private boolean closed;
    private DeviceAnswerRejected trailing;
    /** Set when a part's headers were complete but cannot be read: a refusal, never trailing bytes. */
    private boolean unreadablePart;
    private long trailingByteCount;

    /**
     * @param body         the answer body, already de-chunked
     * @param contentType  the answer's Content-Type (its {@code boundary} parameter is used), or null
     * @param maxPartBytes the cap on one part
     */
    public StreamPartReader(InputStream body, String contentType, int maxPartBytes) {
        if (maxPartBytes < 1) {
            throw new IllegalArgumentException("maxPartBytes must be positive, was " + maxPartBytes);
        }
        this.in = Objects.requireNonNull(body, "body");
        this.maxPartBytes = maxPartBytes;
        this.boundary = declaredBoundary(contentType);
    }

    /**
     * The next part's bytes, or empty when the stream ended: cleanly between parts, at the closing boundary,
     * or with bytes that are not a part (then {@link #trailingBytes()} says what they were).
     */
    public Optional<byte[]> next() throws IOException, DeviceAnswerRejected {
        if (trailing != null || closed) {
            return Optional.empty();
        }
        bytesSincePart = 0;
        long contentLength;
        try {
            contentLength = readPartHeaders();
        } catch (DeviceAnswerRejected malformed) {
            if (malformed.reason() != RejectionReason.MALFORMED_ANSWER || unreadablePart) {
                throw malformed;
            }
            return endWithTrailingBytes(malformed);
        }
        if (contentLength == -1) {
            return Optional.empty();
        }
        if (contentLength != UNTIL_BOUNDARY) {
            byte[] part = in.readNBytes((int) contentLength);
            if (part.length != contentLength) {
                throw malformed("a part announced " + contentLength + " bytes but the stream ended after " + part.length);
            }
            return Optional.of(part);
        }
        return Optional.of(readUntilBoundary());
    }

    /**
     * Present when the stream ended with bytes after its closing boundary or its last complete part that were
     * not a part: a device defect to report (the parts read are complete and usable).
     */
    public Optional<DeviceAnswerRejected> trailingBytes() {
        return Optional.ofNullable(trailing);
    }

    /** How many such trailing bytes there were (0 when none; counted up to the part cap). */
    public long trailingByteCount() {
        return trailingByteCount;
    }

    /** The {@code boundary} parameter of a Content-Type, unquoted and without leading dashes; null when none. */
    private static byte[] declaredBoundary(String contentType) {
        for (String param : (contentType == null ? "" : contentType).split(";")) {
            String p = param.strip();
            if (p.toLowerCase(Locale.ROOT).startsWith("boundary=")) {
                String v = p.substring("boundary=".length()).strip();
                if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
                    v = v.substring(1, v.length() - 1);
                }
                int dashes = 0;
                while (dashes < v.length() && v.charAt(dashes) == '-') {
                    dashes++;
                }
                return dashes == v.length() ? null : v.substring(dashes).getBytes(StandardCharsets.ISO_8859_1);
            }
        }
        return null;
    }

    /** Bytes after the closing boundary: counted (up to the cap) and reported, never read as a part. */
    private Optional<byte[]> endAtClosingBoundary() throws IOException {
        closed = true;
        long rest = drain();
        if (rest > 0) {
            trailingByteCount = rest;
            trailing = new DeviceAnswerRejected(RejectionReason.MALFORMED_ANSWER, "STREAM: the device sent "
                    + (rest > maxPartBytes ? "more than " + maxPartBytes : String.valueOf(rest))
                    + " bytes after the closing boundary; the parts before it are complete");
        }
        return Optional.empty();
    }

    /**
     * Bytes that do not start a part are trailing bytes when the stream ends within one part's cap after
     * them; otherwise the stream is broken mid-way and the malformation stands.
     */
    private Optional<byte[]> endWithTrailingBytes(DeviceAnswerRejected malformed) throws IOException, DeviceAnswerRejected {
        long rest = drain();
        if (rest > maxPartBytes) {
            throw malformed;
        }
        trailingByteCount = bytesSincePart + rest;
        trailing = new DeviceAnswerRejected(RejectionReason.MALFORMED_ANSWER, "STREAM: the device sent "
                + trailingByteCount + " bytes after its last complete part that are not a part ("
                + malformed.detail() + "); the parts before them are complete");
        return Optional.empty();
    }

    /** Reads to the end of the stream, at most one byte past the cap; how many bytes there were. */
    private long drain() throws IOException {
        long rest = 0;
        byte[] sink = new byte[8192];
        for (int n; rest <= maxPartBytes && (n = in.read(sink)) != -1; ) {
            rest += n;
        }
        return rest;
    }

    /**
     * Reads the lines before a part's body; its Content-Length, {@link #UNTIL_BOUNDARY}, or -1 when the stream
     * ended between parts or at the closing boundary.
     */
    private long readPartHeaders() throws IOException, DeviceAnswerRejected {
        long contentLength = -1;
        boolean sawHeader = false;
        for (int lines = 0; ; lines++) {
            if (lines > MAX_LINES_PER_PART) {
                throw malformed("more than " + MAX_LINES_PER_PART + " lines without a part body");
            }
            String line = readLine();
            if (line == null) {
                if (sawHeader) {
                    throw malformed("the stream ended inside the headers of a part");
                }
                return -1;
            }
            if (lastLineUnterminated && !line.endsWith("--")) {
                throw malformed("the stream ends with " + line.length() + " bytes that are neither a boundary nor a part");
            }
            if (line.isEmpty()) {
                if (contentLength >= 0) {
                    return contentLength;
                }
                if (sawHeader) {
                    if (boundary == null) {
                        throw unreadable("a part has no Content-Length and the Content-Type names no boundary;"
                                + " send Content-Length with each part or a boundary parameter");
                    }
                    return UNTIL_BOUNDARY;
                }
                continue;
            }
            int colon = line.indexOf(':');
            if (colon > 0 && !line.startsWith("--")) {
                sawHeader = true;
                String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                if (name.equals("content-length")) {
                    contentLength = parseLength(line.substring(colon + 1).trim());
                }
            } else if (isClosing(line)) {
                endAtClosingBoundary();
                return -1;
            } else {
                contentLength = -1;
                sawHeader = false;
            }
        }
    }

    /** A non-header line that closes the multipart: the declared boundary (or, with none, any line) then "--". */
    private boolean isClosing(String line) {
        String s = line.strip();
        if (!s.endsWith("--") || s.chars().allMatch(c -> c == '-')) {
            return false;
        }
        if (boundary == null) {
            return true;
        }
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        return "--".equals(boundaryLineTail(b, 0, b.length));
    }

    /**
     * The body of a part without Content-Length: every byte up to the CRLF before the next whole line that is
     * the boundary, at most the cap. A closing boundary ends the stream after this part.
     */
    private byte[] readUntilBoundary() throws IOException, DeviceAnswerRejected {
        // A whole part, its line end, and the boundary line after it (whose length boundaryLineTail bounds).
        int limit = (int) Math.min(Integer.MAX_VALUE - 8L, maxPartBytes + 2L + 2L * boundary.length + MAX_BOUNDARY_TAIL);
        byte[] buf = new byte[Math.min(limit, 64 * 1024)];
        int size = 0;
        int lineStart = 0;
        while (true) {
            int b = in.read();
            if (b == -1) {
                // The closing boundary may be the last bytes, without a CRLF after it.
                if (lineStart > 0 && boundaryLineTail(buf, lineStart, size) != null) {
                    return partBefore(buf, lineStart, size);
                }
                throw malformed("the stream ended inside a part without Content-Length, before its next boundary");
            }
            if (size == limit) {
                throw new DeviceAnswerRejected(RejectionReason.ANSWER_TOO_LARGE, "a STREAM part without "
                        + "Content-Length runs past the part cap of " + maxPartBytes + " bytes without a boundary line;"
                        + " send Content-Length with each part");
            }
            if (size == buf.length) {
                buf = Arrays.copyOf(buf, (int) Math.min(limit, 2L * buf.length));
            }
            buf[size++] = (byte) b;
            if (b == '\n') {
                int end = size - 1 > lineStart && buf[size - 2] == '\r' ? size - 2 : size - 1;
                if (lineStart > 0 && boundaryLineTail(buf, lineStart, end) != null) {
                    return partBefore(buf, lineStart, end);
                }
                lineStart = size;
            }
        }
    }

    /** The bytes before the line end that precedes the boundary line [lineStart, lineEnd). */
    private byte[] partBefore(byte[] buf, int lineStart, int lineEnd) throws IOException, DeviceAnswerRejected {
        int end = lineStart - 1;
        if (end > 0 && buf[end - 1] == '\r') {
            end--;
        }
        if (end > maxPartBytes) {
            throw new DeviceAnswerRejected(RejectionReason.ANSWER_TOO_LARGE, "a STREAM part of " + end
                    + " bytes, the cap is " + maxPartBytes);
        }
        byte[] part = Arrays.copyOf(buf, end);
        if ("--".equals(boundaryLineTail(buf, lineStart, lineEnd))) {
            endAtClosingBoundary();
        }
        return part;
    }

    /**
     * When [from, to) is a boundary line (optional dashes, the declared boundary, then nothing or "--" with
     * white space aside): what follows the boundary, stripped ("" or "--"); otherwise null.
     */
    private String boundaryLineTail(byte[] b, int from, int to) {
        if (to - from > 2 * boundary.length + MAX_BOUNDARY_TAIL) {
            return null;
        }
        int i = from;
        while (i < to && b[i] == '-') {
            i++;
        }
        if (to - i < boundary.length || !Arrays.equals(b, i, i + boundary.length, boundary, 0, boundary.length)) {
            return null;
        }
        String rest = new String(b, i + boundary.length, to - i - boundary.length, StandardCharsets.ISO_8859_1).strip();
        return rest.isEmpty() || rest.equals("--") ? rest : null;
    }

    private long parseLength(String value) throws DeviceAnswerRejected {
        long length;
        try {
            length = Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw unreadable("Content-Length '" + (value.length() > 20 ? value.substring(0, 20) : value)
                    + "' is not a number");
        }
        if (length < 0 || length > maxPartBytes) {
            throw new DeviceAnswerRejected(RejectionReason.ANSWER_TOO_LARGE, "a STREAM part announces "
                    + length + " bytes, the cap is " + maxPartBytes);
        }
        return length;
    }

    private String readLine() throws IOException, DeviceAnswerRejected {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        lastLineUnterminated = false;
        while (true) {
            int b = in.read();
            if (b == -1) {
                lastLineUnterminated = line.size() > 0;
                return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
            }
            bytesSincePart++;
            if (b == '\n') {
                String s = line.toString(StandardCharsets.ISO_8859_1);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            if (line.size() >= MAX_LINE) {
                throw malformed("a STREAM header line is longer than " + MAX_LINE + " bytes");
            }
            line.write(b);
        }
    }

    private DeviceAnswerRejected unreadable(String detail) {
        unreadablePart = true;
        return malformed(detail);
    }

    private static DeviceAnswerRejected malformed(String detail) {
        return new DeviceAnswerRejected(RejectionReason.MALFORMED_ANSWER, "STREAM: " + detail);
    }
}
