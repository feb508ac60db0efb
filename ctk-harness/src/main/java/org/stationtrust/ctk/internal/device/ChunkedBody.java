package org.stationtrust.ctk.internal.device;

import java.io.IOException;
import java.io.InputStream;

/**
 * The body of a {@code Transfer-Encoding: chunked} answer with the chunk framing removed (RFC 9112
 * §7.1), read lazily so a STREAM body can be de-chunked while frames still arrive. Bounded: a size
 * line is at most 64 KiB (the channel's line limit) and must be hex that fits a long; every read
 * still waits under the deadline or read timeout of the stream it wraps.
 */
final class ChunkedBody extends InputStream {
    private final InputStream in;
    private long leftInChunk;
    private boolean finished;

    ChunkedBody(InputStream in) {
        this.in = in;
    }

    @Override
    public int read() throws IOException {
        if (!nextChunkIfNeeded()) {
            return -1;
        }
        int b = in.read();
        if (b < 0) {
            throw new IOException("connection closed inside a chunk (" + leftInChunk + " bytes missing)");
        }
        afterData(1);
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (!nextChunkIfNeeded()) {
            return -1;
        }
        int r = in.read(b, off, (int) Math.min(len, leftInChunk));
        if (r < 0) {
            throw new IOException("connection closed inside a chunk (" + leftInChunk + " bytes missing)");
        }
        afterData(r);
        return r;
    }

    @Override
    public int available() throws IOException {
        return finished ? 0 : (int) Math.min(leftInChunk, in.available());
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    private void afterData(int n) throws IOException {
        leftInChunk -= n;
        if (leftInChunk == 0) {
            String end = DeviceChannel.readLine(in);
            if (!end.isEmpty()) {
                throw new IOException("chunk not followed by CRLF (chunked framing broken)");
            }
        }
    }

    /** Reads the next size line when the current chunk is used up; false at the last (zero) chunk. */
    private boolean nextChunkIfNeeded() throws IOException {
        if (finished) {
            return false;
        }
        if (leftInChunk > 0) {
            return true;
        }
        String line = DeviceChannel.readLine(in);
        int semi = line.indexOf(';');
        String hex = (semi >= 0 ? line.substring(0, semi) : line).trim();
        long size;
        try {
            size = hex.isEmpty() || hex.charAt(0) == '-' || hex.charAt(0) == '+' ? -1 : Long.parseLong(hex, 16);
        } catch (NumberFormatException e) {
            size = -1;
        }
        if (size < 0) {
            throw new IOException("bad chunk size line: " + (line.length() > 40 ? line.substring(0, 40) + "..." : line));
        }
        if (size == 0) {
            // Trailers are not read: the request said Connection: close, and waiting for them could
            // only turn a complete body into a timeout.
            finished = true;
            return false;
        }
        leftInChunk = size;
        return true;
    }
}
