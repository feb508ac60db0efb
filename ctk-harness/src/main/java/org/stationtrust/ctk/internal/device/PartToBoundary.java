package org.stationtrust.ctk.internal.device;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads one multipart part that has no Content-Length (RFC 2046 §5.1.1 does not require one): its
 * bytes up to the CRLF before the next line holding the boundary, with or without the leading dashes
 * (deployed services write it both ways, docs/sbi-protocol.md "STREAM"), bounded by the frame limit.
 */
final class PartToBoundary {
    /** The longest rest of a boundary line looked at (RFC 2046 allows transport padding after it). */
    private static final int MAX_BOUNDARY_TAIL = 256;

    private final byte[] mark;
    private final int maxPart;

    /** A part's bytes; {@code closing} when the closing boundary ended it; {@code tooLong} when none came in time. */
    record Part(byte[] bytes, boolean closing, boolean tooLong) {
    }

    private PartToBoundary(byte[] mark, int maxPart) {
        this.mark = mark;
        this.maxPart = maxPart;
    }

    /** The reader for the boundary parameter of {@code contentType}; empty when it names none. */
    static Optional<PartToBoundary> of(String contentType, int maxPart) {
        for (String param : (contentType == null ? "" : contentType).split(";")) {
            String p = param.strip();
            if (p.toLowerCase(Locale.ROOT).startsWith("boundary=")) {
                String v = p.substring(9).strip();
                if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
                    v = v.substring(1, v.length() - 1);
                }
                while (v.startsWith("-")) {
                    v = v.substring(1);
                }
                return v.isEmpty() ? Optional.empty()
                        : Optional.of(new PartToBoundary(v.getBytes(StandardCharsets.ISO_8859_1), maxPart));
            }
        }
        return Optional.empty();
    }

    /** The next part; null when the stream ends before a boundary line. */
    Part read(InputStream in) throws IOException {
        byte[] bytes = new byte[64 * 1024];
        int size = 0;
        int lineStart = 0;
        int limit = maxPart + MAX_BOUNDARY_TAIL;
        while (true) {
            int b = in.read();
            if (b < 0) {
                // The closing boundary may be the last bytes, without a CRLF after it.
                return lineStart > 0 && isBoundaryLine(bytes, lineStart, size) ? partBefore(bytes, lineStart, size) : null;
            }
            if (size == limit) {
                return new Part(new byte[0], false, true);
            }
            if (size == bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.min(bytes.length * 2, limit));
            }
            bytes[size++] = (byte) b;
            if (b == '\n') {
                if (lineStart > 0 && isBoundaryLine(bytes, lineStart, size - 1)) {
                    return partBefore(bytes, lineStart, size - 1);
                }
                lineStart = size;
            }
        }
    }

    /** The bytes before the CRLF that precedes the boundary line [lineStart, lineEnd). */
    private Part partBefore(byte[] bytes, int lineStart, int lineEnd) {
        int end = lineStart - 1;
        if (end > 0 && bytes[end - 1] == '\r') {
            end--;
        }
        return new Part(Arrays.copyOf(bytes, end), tail(bytes, lineStart, lineEnd).strip().startsWith("--"), false);
    }

    /** The line [from, to) is optional dashes, the boundary, then nothing or "--" (white space aside). */
    private boolean isBoundaryLine(byte[] b, int from, int to) {
        int i = afterDashes(b, from, to);
        if (to - i < mark.length || to - from > mark.length + 2 + MAX_BOUNDARY_TAIL) {
            return false;
        }
        for (int k = 0; k < mark.length; k++) {
            if (b[i + k] != mark[k]) {
                return false;
            }
        }
        String rest = tail(b, from, to).strip();
        return rest.isEmpty() || rest.equals("--");
    }

    private String tail(byte[] b, int from, int to) {
        int i = afterDashes(b, from, to);
        return new String(b, i + mark.length, to - i - mark.length, StandardCharsets.ISO_8859_1);
    }

    private static int afterDashes(byte[] b, int from, int to) {
        int i = from;
        while (i < to && b[i] == '-') {
            i++;
        }
        return i;
    }
}
