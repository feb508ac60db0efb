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
 * (docs/sbi-protocol.md "STREAM"); any line that is not a header is taken as a boundary. Bytes after the last
 * complete frame that do not form a part end the stream and are reported as a defect, not as a broken stream.
 */
public final class JpegFrameReader {
    private static final int MAX_LINE = 8 * 1024;
    private static final int MAX_LINES_PER_PART = 64;

    private final InputStream in;
    private final int maxFrameBytes;
    private long preambleBytes;
    private boolean lastLineUnterminated;
    private DeviceAnswerRejected trailing;

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
        if (contentLength < 0) {
            return Optional.empty();
        }
        byte[] frame = in.readNBytes((int) contentLength);
        if (frame.length != contentLength) {
            throw malformed("a part announced " + contentLength + " bytes but the stream ended after " + frame.length);
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
                    throw malformed("a part has headers but no Content-Length");
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
            }
        }
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
