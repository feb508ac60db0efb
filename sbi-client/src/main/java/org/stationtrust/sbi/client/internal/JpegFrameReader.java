package org.stationtrust.sbi.client.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import org.stationtrust.sbi.client.DeviceAnswerRejected;
import org.stationtrust.sbi.client.RejectionReason;

/**
 * Reads JPEG frames from an SBI STREAM body. Deployed services delimit multipart parts loosely
 * (boundaries with or without leading dashes), so each part is read by its Content-Length header
 * (docs/sbi-protocol.md "STREAM"); any line that is not a header is taken as a boundary. A part without
 * Content-Length runs until the next line equal to the boundary line before it (RFC 2046 §5.1.1: the CRLF
 * before a boundary belongs to it), within the frame cap. Bytes after the last complete frame that do not
 * form a part end the stream and are reported as a defect, not as a broken stream.
 */
public final class JpegFrameReader {
    private static final int MAX_LINE = 8 * 1024;
    private static final int MAX_LINES_PER_PART = 64;
    /** RFC 2046 §5.1.1 allows 70 boundary characters; with the two dashes, a delimiter line of 72. */
    private static final int MAX_BOUNDARY_LINE = 72;
    /** readPartHeaders: the part has no Content-Length and runs until the next boundary line. */
    private static final long UNTIL_BOUNDARY = -2;

    private final InputStream in;
    private final int maxFrameBytes;
    private long preambleBytes;
    private boolean lastLineUnterminated;
    private DeviceAnswerRejected trailing;
    /** The last boundary line seen (as sent, with or without dashes), or null before the first. */
    private String boundary;

    public JpegFrameReader(InputStream in, int maxFrameBytes) {
        this.in = in;
        this.maxFrameBytes = maxFrameBytes;
    }

    /**
     * The next frame, or empty when the stream ended: cleanly between parts, or with bytes after the last
     * complete frame that do not form a part (then {@link #trailingBytes()} says what they were).
     */
    public Optional<byte[]> next() throws IOException, DeviceAnswerRejected {
        if (trailing != null) {
            return Optional.empty();
        }
        preambleBytes = 0;
        long contentLength;
        try {
            contentLength = readPartHeaders();
        } catch (DeviceAnswerRejected malformed) {
            if (malformed.reason() != RejectionReason.MALFORMED_ANSWER) {
                throw malformed;
            }
            return endWithTrailingBytes(malformed);
        }
        if (contentLength == -1) {
            return Optional.empty();
        }
        byte[] frame;
        if (contentLength == UNTIL_BOUNDARY) {
            frame = readUntilBoundary();
        } else {
            frame = in.readNBytes((int) contentLength);
            if (frame.length != contentLength) {
                throw malformed("a part announced " + contentLength + " bytes but the stream ended after " + frame.length);
            }
        }
        if (frame.length < 2 || (frame[0] & 0xff) != 0xFF || (frame[1] & 0xff) != 0xD8) {
            throw malformed("a part is not a JPEG image (no FF D8 start marker)");
        }
        return Optional.of(frame);
    }

    /**
     * Why the stream ended with bytes that were not a part, when it did: a device defect to report, while
     * every frame before them was complete and is kept.
     */
    public Optional<DeviceAnswerRejected> trailingBytes() {
        return Optional.ofNullable(trailing);
    }

    /**
     * Bytes that do not start a part are trailing bytes when the stream ends within one frame's cap after
     * them; otherwise the stream is broken mid-way and the malformation stands.
     */
    private Optional<byte[]> endWithTrailingBytes(DeviceAnswerRejected malformed) throws IOException, DeviceAnswerRejected {
        long rest = 0;
        byte[] sink = new byte[8192];
        for (int n; rest <= maxFrameBytes && (n = in.read(sink)) != -1; ) {
            rest += n;
        }
        if (rest > maxFrameBytes) {
            throw malformed;
        }
        trailing = new DeviceAnswerRejected(RejectionReason.MALFORMED_ANSWER, "STREAM: the device sent "
                + (preambleBytes + rest) + " bytes after its last complete frame that are not a part ("
                + malformed.detail() + "); the frames before them are complete");
        return Optional.empty();
    }

    /** Reads the lines before a part's body; its Content-Length, or -1 when the stream ended between parts. */
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
                        throw malformed("a part has neither a Content-Length nor a boundary line before it");
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
            } else {
                contentLength = -1;
                sawHeader = false;
                boundary = line;
            }
        }
    }

    /**
     * The body of a part without Content-Length: every byte up to the next line that starts with the boundary
     * line (a closing {@code --} may follow it), the line end before it excluded, at most the frame cap. The
     * rest of the boundary line is consumed; the next part's headers follow.
     */
    private byte[] readUntilBoundary() throws IOException, DeviceAnswerRejected {
        if (boundary.length() > MAX_BOUNDARY_LINE) {
            throw malformed("a part without Content-Length follows a boundary line of " + boundary.length()
                    + " characters, more than the " + MAX_BOUNDARY_LINE + " a multipart boundary may have");
        }
        byte[] delimiter = ("\n" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        int limit = maxFrameBytes + 1 + delimiter.length;   // a whole frame, its CR, the delimiter
        byte[] buf = new byte[Math.min(limit, 64 * 1024)];
        int size = 0;
        while (size < delimiter.length || !endsWith(buf, size, delimiter)) {
            int b = in.read();
            if (b == -1) {
                throw malformed("the stream ended inside a part without Content-Length, before its next boundary");
            }
            if (size == limit) {
                throw new DeviceAnswerRejected(RejectionReason.ANSWER_TOO_LARGE, "a STREAM part without "
                        + "Content-Length runs past the frame cap of " + maxFrameBytes + " bytes without a boundary");
            }
            if (size == buf.length) {
                buf = java.util.Arrays.copyOf(buf, (int) Math.min(limit, 2L * buf.length));
            }
            buf[size++] = (byte) b;
        }
        int end = size - delimiter.length;
        if (end > 0 && buf[end - 1] == '\r') {
            end--;
        }
        if (end > maxFrameBytes) {
            throw new DeviceAnswerRejected(RejectionReason.ANSWER_TOO_LARGE, "a STREAM frame of " + end
                    + " bytes, the cap is " + maxFrameBytes);
        }
        readLine(); // the rest of the boundary line: nothing, or the closing "--"
        return java.util.Arrays.copyOf(buf, end);
    }

    private static boolean endsWith(byte[] buf, int size, byte[] suffix) {
        return java.util.Arrays.equals(buf, size - suffix.length, size, suffix, 0, suffix.length);
    }

    private long parseLength(String value) throws DeviceAnswerRejected {
        long length;
        try {
            length = Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw malformed("Content-Length '" + (value.length() > 20 ? value.substring(0, 20) : value)
                    + "' is not a number");
        }
        if (length < 0 || length > maxFrameBytes) {
            throw new DeviceAnswerRejected(RejectionReason.ANSWER_TOO_LARGE, "a STREAM frame announces "
                    + length + " bytes, the cap is " + maxFrameBytes);
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
            preambleBytes++;
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

    private static DeviceAnswerRejected malformed(String detail) {
        return new DeviceAnswerRejected(RejectionReason.MALFORMED_ANSWER, "STREAM: " + detail);
    }
}
