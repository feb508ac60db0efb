package org.stationtrust.ctk.internal.device;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Optional;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Reads a STREAM answer in the background: each part is taken by its Content-Length header, not by
 * a strict multipart parser, because deployed services delimit parts loosely (docs/sbi-protocol.md "STREAM").
 * A part without Content-Length (RFC 2046 §5.1.1 does not require one) is read up to the next line
 * holding the boundary, with or without its leading dashes, bounded by the frame limit.
 */
public final class PreviewStream implements AutoCloseable {
    private static final int MAX_FRAME = 8 * 1024 * 1024;
    private static final int MAX_HEADER_LINES = 64;
    /** partLength: the stream ended. */
    private static final long END = -1;
    /** partLength: the part has no Content-Length; read it up to the next boundary line. */
    private static final long TO_BOUNDARY = -2;

    private final DeviceChannel.OpenAnswer answer;
    private final AtomicInteger frames = new AtomicInteger();
    private final AtomicInteger validJpeg = new AtomicInteger();
    private final CountDownLatch ended = new CountDownLatch(1);
    private final long openedNanos;
    private volatile long firstFrameNanos;
    private volatile long lastFrameNanos;
    private volatile String problem;
    private volatile int trailingBytes;
    /** Set by the reader thread when a part read to its boundary ended at the closing boundary. */
    private boolean closingBoundarySeen;
    private final Thread reader;

    private PreviewStream(DeviceChannel.OpenAnswer answer) {
        this.answer = answer;
        this.openedNanos = System.nanoTime();
        this.reader = new Thread(this::readLoop, "ctk-stream-reader");
        this.reader.setDaemon(true);
    }

    /** Opens the stream and, when the device answered 200, starts reading frames. */
    public static PreviewStream open(DeviceChannel channel, byte[] body, Duration readTimeout) throws IOException {
        PreviewStream s = new PreviewStream(channel.open("STREAM", "/stream", body, readTimeout));
        if (s.isMultipart()) {
            s.reader.start();
        } else {
            s.ended.countDown();
        }
        return s;
    }

    /** True when the device answered 200 with a multipart body (frames follow). */
    public boolean isMultipart() {
        String type = contentType();
        return answer.status() == 200 && type != null && type.toLowerCase(Locale.ROOT).startsWith("multipart/");
    }

    public int status() {
        return answer.status();
    }

    public String contentType() {
        return answer.headers().get("content-type");
    }

    /** The body of a non-200 answer, read with a bound (for the error check). */
    public byte[] errorBody(int max) throws IOException {
        return answer.body().readNBytes(max);
    }

    /** Waits until {@code count} frames arrived, the stream ended, or the wait is over. */
    public void awaitFrames(int count, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (frames.get() < count && ended.getCount() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }

    /** True when the device ended the stream within {@code wait}. */
    public boolean awaitEnd(Duration wait) throws InterruptedException {
        return ended.await(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    public int frames() {
        return frames.get();
    }

    public int validJpegFrames() {
        return validJpeg.get();
    }

    /** Bytes that followed the closing boundary (devices may send stray bytes; reported, not judged). */
    public int trailingBytes() {
        return trailingBytes;
    }

    public String problem() {
        return problem;
    }

    /** Frames per second between the first and the last frame (0 with fewer than two frames). */
    public double framesPerSecond() {
        int n = frames.get();
        long span = lastFrameNanos - firstFrameNanos;
        return n < 2 || span <= 0 ? 0 : (n - 1) / (span / 1e9);
    }

    public long openNanos() {
        return System.nanoTime() - openedNanos;
    }

    private void readLoop() {
        InputStream in = answer.body();
        try {
            while (true) {
                long length = partLength(in);
                if (length == END) {
                    break;
                }
                byte[] frame;
                if (length == TO_BOUNDARY) {
                    frame = readToBoundary(in);
                    if (frame == null) {
                        break;
                    }
                } else {
                    if (length > MAX_FRAME) {
                        problem = "a frame declares " + length + " bytes, more than " + MAX_FRAME;
                        break;
                    }
                    frame = in.readNBytes((int) length);
                    if (frame.length < length) {
                        break;
                    }
                }
                count(frame);
                if (closingBoundarySeen) {
                    trailingBytes = in.readNBytes(64 * 1024).length;
                    break;
                }
            }
        } catch (IOException e) {
            if (!answer.socket().isClosed()) {
                problem = e.getMessage();
            }
        } finally {
            ended.countDown();
        }
    }

    private void count(byte[] frame) {
        long now = System.nanoTime();
        if (frames.getAndIncrement() == 0) {
            firstFrameNanos = now;
        }
        lastFrameNanos = now;
        if (isJpeg(frame)) {
            validJpeg.incrementAndGet();
        }
    }

    /**
     * Reads part headers up to the blank line; returns Content-Length, {@link #TO_BOUNDARY} when the
     * headers ended without one, or {@link #END} at the end of the stream. The closing boundary
     * ({@code --boundary--}, with or without leading dashes) ends the stream; what follows it is
     * counted as trailing bytes (at most 64 KiB are read), never taken for a frame.
     */
    private long partLength(InputStream in) throws IOException {
        long length = -1;
        int lines = 0;
        while (true) {
            String line;
            try {
                line = DeviceChannel.readLine(in);
            } catch (IOException e) {
                return END;
            }
            if (line.isEmpty()) {
                if (length >= 0) {
                    return length;
                }
                if (lines > 0) {
                    return TO_BOUNDARY;
                }
                continue;
            }
            if (length < 0 && line.endsWith("--") && line.length() > 2 && !line.contains(":")) {
                trailingBytes = in.readNBytes(64 * 1024).length;
                return END;
            }
            if (++lines > MAX_HEADER_LINES) {
                throw new IOException("more than " + MAX_HEADER_LINES + " part header lines");
            }
            String lower = line.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-length:")) {
                try {
                    length = Long.parseLong(line.substring(15).trim());
                } catch (NumberFormatException e) {
                    throw new IOException("part Content-Length is not a number: " + line);
                }
            }
        }
    }

    /**
     * A part without Content-Length, read by {@link PartToBoundary}; null when the stream ended first
     * or the part broke a bound (then {@link #problem} says which).
     */
    private byte[] readToBoundary(InputStream in) throws IOException {
        Optional<PartToBoundary> reader = PartToBoundary.of(contentType(), MAX_FRAME);
        if (reader.isEmpty()) {
            problem = "a part has no Content-Length and the Content-Type '" + contentType()
                    + "' names no boundary; send Content-Length with each part or a boundary parameter";
            return null;
        }
        PartToBoundary.Part part = reader.get().read(in);
        if (part == null) {
            return null;
        }
        if (part.tooLong()) {
            problem = "a part without Content-Length runs past " + MAX_FRAME
                    + " bytes without a boundary line; send Content-Length with each part";
            return null;
        }
        closingBoundarySeen = part.closing();
        return part.bytes();
    }

    static boolean isJpeg(byte[] f) {
        return f.length >= 4 && (f[0] & 0xFF) == 0xFF && (f[1] & 0xFF) == 0xD8
                && (f[f.length - 2] & 0xFF) == 0xFF && (f[f.length - 1] & 0xFF) == 0xD9;
    }

    @Override
    public void close() throws IOException {
        answer.close();
        try {
            reader.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
